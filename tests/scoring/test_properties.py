"""Properties every scoring must have, checked on random frameworks and answers."""

import dataclasses

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scoring import DONT_KNOW, NOT_APPLICABLE, score
from tests.scoring.strategies import assert_same_scores, assessments

PROPERTY_SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(assessments())
def test_every_score_lies_between_0_and_100(assessment):
    result = score(*assessment)

    values = [result.overall, result.coverage]
    for pillar in result.pillars.values():
        values += [pillar.score, pillar.na_share, *pillar.levels.values()]
    assert all(0 <= value <= 100 for value in values if value is not None)
    assert all(0 <= gap.gap <= 1 for gap in result.gaps)


@PROPERTY_SETTINGS
@given(assessments(), st.data())
def test_raising_one_answer_never_lowers_its_pillar_score_nor_the_overall(assessment, data):
    fw, answers, sector = assessment
    raisable = [
        q
        for q in fw.questions
        if q.id in answers
        and answers[q.id] != NOT_APPLICABLE
        and any(answers[q.id] == DONT_KNOW or o.value > answers[q.id] for o in q.options)
    ]
    assume(raisable)
    q = data.draw(st.sampled_from(raisable))
    current = answers[q.id]
    higher = [o.value for o in q.options if current == DONT_KNOW or o.value > current]
    raised = {**answers, q.id: data.draw(st.sampled_from(higher))}

    before, after = score(fw, answers, sector), score(fw, raised, sector)

    assert after.pillars[q.pillar].score >= before.pillars[q.pillar].score - 1e-9
    assert after.overall >= before.overall - 1e-9


@PROPERTY_SETTINGS
@given(assessments(), st.sampled_from([0.1, 0.5, 3.0, 7.0]) | st.floats(0.01, 100.0))
def test_multiplying_every_weight_by_the_same_positive_number_changes_nothing(assessment, factor):
    fw, answers, sector = assessment
    # An unlisted pillar weighs 1.0 whatever the factor, so list every pillar's weight first.
    heavier = dataclasses.replace(
        fw,
        questions=[dataclasses.replace(q, weight=q.weight * factor) for q in fw.questions],
        sectors=[
            dataclasses.replace(s, pillar_weights={p: s.weight(p) * factor for p in fw.pillar_keys})
            for s in fw.sectors
        ],
    )

    assert_same_scores(score(fw, answers, sector), score(heavier, answers, sector))


@PROPERTY_SETTINGS
@given(assessments(), st.data())
def test_answering_na_gives_the_same_result_as_removing_the_question(assessment, data):
    fw, answers, sector = assessment
    q = data.draw(st.sampled_from(fw.questions))
    allowing_na = dataclasses.replace(
        fw,
        questions=[dataclasses.replace(o, allow_na=True) if o is q else o for o in fw.questions],
    )
    without = dataclasses.replace(fw, questions=[o for o in fw.questions if o is not q])
    rest = {qid: answer for qid, answer in answers.items() if qid != q.id}

    with_na = score(allowing_na, {**rest, q.id: NOT_APPLICABLE}, sector)
    removed = score(without, rest, sector)

    assert_same_scores(with_na, removed)
    assert with_na.gaps == removed.gaps


TRAIT_NAMES = ("no_premises", "works_away", "makes_goods")


@PROPERTY_SETTINGS
@given(assessments(), st.data())
def test_a_question_not_asked_of_a_profile_scores_as_if_it_were_not_in_the_bank(assessment, data):
    fw, answers, sector = assessment
    conditions = [
        data.draw(st.dictionaries(st.sampled_from(TRAIT_NAMES), st.booleans(), max_size=2))
        for _ in fw.questions
    ]
    tailored = dataclasses.replace(
        fw,
        questions=[
            dataclasses.replace(q, applies_when=when)
            for q, when in zip(fw.questions, conditions, strict=True)
        ],
    )
    traits = data.draw(st.dictionaries(st.sampled_from(TRAIT_NAMES), st.booleans()))
    asked = tailored.for_profile(traits)
    kept = {q.id for q in asked.questions}
    assume(kept)
    without = dataclasses.replace(fw, questions=[q for q in fw.questions if q.id in kept])

    profiled = score(asked, answers, sector)
    removed = score(without, {qid: a for qid, a in answers.items() if qid in kept}, sector)

    assert_same_scores(profiled, removed)
    assert profiled.coverage == removed.coverage
    assert profiled.warnings == removed.warnings
    assert len(asked.questions) + len(tailored.not_asked(traits)) == len(fw.questions)
