"""The firm's portfolio as pandas DataFrames: the table behind exports and the summary page.

Scores come from the assessments' stored results (the snapshot frozen at
submission), so the summary agrees with the dashboard and with every report
to the decimal, whatever framework version each client answered.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.db.models import QuerySet
from django.utils import timezone

import scoring
from accounts.models import Organization, Sector
from assessments.models import Answer, Assessment
from assessments.selectors import assessment_answers, assessment_framework
from scoring.engine import MATURITY_LABELS

from .selectors import ClientRow, present_rows

WEAKEST_QUESTION_COUNT = 10
NOT_SCORED_LABEL = "Not yet scored"
SECTOR_LABELS = dict(Sector.choices)


def _local_naive(value):
    """Datetimes as the firm reads them, without a zone (Excel cannot store one)."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def portfolio_table(rows: list[ClientRow], pillars: list[scoring.PillarDef]) -> pd.DataFrame:
    """One line per client: what the dashboard shows, as plain columns for export."""
    records = []
    for row in rows:
        org = row.organization
        record = {
            "Organization": org.name,
            "Sector": SECTOR_LABELS.get(org.sector, org.sector),
            "Size": org.get_size_band_display(),
            "Region": org.region,
            "Status": row.status_label,
            "Progress (%)": row.progress,
            "Overall score": _round(row.score),
            "Maturity": row.maturity_label or None,
        }
        for pillar, value in zip(pillars, row.pillars, strict=True):
            record[pillar.name] = _round(value)
        record["Last submitted"] = _local_naive(row.submitted_at)
        record["Last activity"] = _local_naive(row.last_activity)
        records.append(record)
    columns = [
        "Organization",
        "Sector",
        "Size",
        "Region",
        "Status",
        "Progress (%)",
        "Overall score",
        "Maturity",
        *(p.name for p in pillars),
        "Last submitted",
        "Last activity",
    ]
    return pd.DataFrame.from_records(records, columns=columns)


def _round(value):
    return None if value is None else round(value, 1)


@dataclass(frozen=True)
class PillarMean:
    key: str
    name: str
    mean: float | None
    count: int


@dataclass(frozen=True)
class WeakQuestion:
    code: str
    text: str
    pillar: str
    level: str
    mean_percent: float
    clients: int


@dataclass(frozen=True)
class SectorLine:
    label: str
    clients: int
    scored: int
    mean_overall: float | None
    pillar_means: list[float | None]


@dataclass(frozen=True)
class PortfolioSummary:
    client_count: int
    scored_count: int
    in_progress_count: int
    not_started_count: int
    mean_overall: float | None
    pillar_means: list[PillarMean]
    maturity_distribution: list[tuple[str, int]]
    weakest_questions: list[WeakQuestion]
    sectors: list[SectorLine]


def _mean(series: pd.Series) -> float | None:
    series = series.dropna()
    return None if series.empty else round(float(series.mean()), 1)


def portfolio_summary(
    rows_qs: QuerySet[Organization], pillars: list[scoring.PillarDef]
) -> PortfolioSummary:
    """Averages, maturity distribution, weakest questions and sectors over every client.

    Each client counts once, with their latest submitted assessment: a client
    who re-assessed three times must not weigh three times as much.
    """
    rows = present_rows(list(rows_qs), [p.key for p in pillars])
    frame = pd.DataFrame(
        {
            "sector": [r.organization.sector for r in rows],
            "status": [r.status for r in rows],
            "overall": pd.Series([r.score for r in rows], dtype="float64"),
            "maturity": pd.Series([r.maturity for r in rows], dtype="Int64"),
            **{
                p.key: pd.Series([r.pillars[i] for r in rows], dtype="float64")
                for i, p in enumerate(pillars)
            },
        }
    )
    scored = frame[frame["overall"].notna()]

    distribution = scored["maturity"].value_counts()
    maturity_distribution = [
        (label, int(distribution.get(i, 0))) for i, label in enumerate(MATURITY_LABELS)
    ]
    maturity_distribution.append((NOT_SCORED_LABEL, int(len(frame) - len(scored))))

    sectors = []
    for key, label in Sector.choices:
        part = frame[frame["sector"] == key]
        if part.empty:
            continue
        sectors.append(
            SectorLine(
                label=label,
                clients=len(part),
                scored=int(part["overall"].notna().sum()),
                mean_overall=_mean(part["overall"]),
                pillar_means=[_mean(part[p.key]) for p in pillars],
            )
        )

    return PortfolioSummary(
        client_count=len(frame),
        scored_count=len(scored),
        in_progress_count=int((frame["status"] == "in_progress").sum()),
        not_started_count=int((frame["status"] == "not_started").sum()),
        mean_overall=_mean(frame["overall"]),
        pillar_means=[
            PillarMean(p.key, p.name, _mean(frame[p.key]), int(frame[p.key].notna().sum()))
            for p in pillars
        ],
        maturity_distribution=maturity_distribution,
        weakest_questions=weakest_questions(rows_qs),
        sectors=sectors,
    )


def weakest_questions(
    rows_qs: QuerySet[Organization], limit: int = WEAKEST_QUESTION_COUNT
) -> list[WeakQuestion]:
    """The questions the clients score lowest on: mean answer ratio over latest submissions.

    The ratio is the answer's place on the framework's scale (0 = least, 1 =
    most resilient), as the scoring rules define it: "don't know" counts as
    0, "not applicable" is left out. Questions are matched by their stable id
    across framework versions.
    """
    latest_submitted = rows_qs.filter(submitted_id__isnull=False).values("submitted_id")
    answers = pd.DataFrame.from_records(
        Answer.objects.filter(
            assessment__in=latest_submitted,
            kind__in=[Answer.Kind.OPTION, Answer.Kind.DONT_KNOW],
        ).values_list(
            "question__code",
            "question__text",
            "question__pillar__name",
            "question__level__name",
            "question__framework_id",
            "kind",
            "value",
            "assessment__framework__scale_min",
            "assessment__framework__scale_max",
        ),
        columns=["code", "text", "pillar", "level", "framework", "kind", "value", "min", "max"],
    )
    if answers.empty:
        return []
    value = answers["value"].astype("float64")
    ratio = (value - answers["min"]) / (answers["max"] - answers["min"])
    answers["ratio"] = ratio.where(answers["kind"] == Answer.Kind.OPTION, 0.0)
    # Wording from the newest framework version a question appears in.
    wording = answers.sort_values("framework").groupby("code")[["text", "pillar", "level"]].last()
    stats = answers.groupby("code")["ratio"].agg(["mean", "count"]).join(wording)
    stats = stats.reset_index().sort_values(["mean", "code"]).head(limit)
    return [
        WeakQuestion(
            code=row.code,
            text=row.text,
            pillar=row.pillar,
            level=row.level,
            mean_percent=round(100 * float(row.mean), 1),
            clients=int(row.count),
        )
        for row in stats.itertuples(index=False)
    ]


def answers_table(assessment: Assessment) -> pd.DataFrame:
    """One assessment's answers, one line per question of its framework, in order."""
    framework = assessment_framework(assessment)
    pillar_names = {p.key: p.name for p in framework.pillars}
    level_names = {lv.key: lv.name for lv in framework.levels}
    answers = assessment_answers(assessment)
    records = []
    for question in framework.questions:
        answer = answers.get(question.id)
        kind = answer.kind if answer else None
        value = answer.value if kind == Answer.Kind.OPTION else None
        label = question.answer_label(answer.scoring_value if answer else None) or "Not answered"
        note = answer.note if answer else ""
        records.append(
            {
                "Question ID": question.id,
                "Pillar": pillar_names[question.pillar],
                "Level": level_names[question.level],
                "Question": question.text,
                "Answer": label,
                "Value": value,
                "Note": note,
            }
        )
    frame = pd.DataFrame.from_records(
        records, columns=["Question ID", "Pillar", "Level", "Question", "Answer", "Value", "Note"]
    )
    frame["Value"] = frame["Value"].astype("Int64")
    return frame
