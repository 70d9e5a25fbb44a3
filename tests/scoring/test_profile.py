"""The business profile's traits decide which questions are asked and which advice is given."""

from scoring.profile import TRAITS, applies, choose_advice, reasons_not_asked, unknown_traits

ADVICE = {
    "general": "Write it down.",
    "retail": "Tell the shop staff.",
    "makes_goods": "Keep a spare oven part.",
    "card_in_person": "Keep a spare card reader.",
}


def test_a_premises_question_is_not_asked_of_a_business_without_premises():
    assert applies({"no_premises": False}, {}) is True
    assert applies({"no_premises": False}, {"no_premises": True}) is False


def test_every_listed_trait_must_hold():
    wanted = {"several_sites": True, "makes_goods": True}
    assert applies(wanted, {"several_sites": True, "makes_goods": True}) is True
    assert applies(wanted, {"several_sites": True}) is False


def test_the_reason_not_asked_repeats_what_the_owner_said():
    assert reasons_not_asked({"no_premises": False}, {"no_premises": True}) == [
        "you have no premises (you work from home or remotely)"
    ]
    assert reasons_not_asked({"several_sites": True}, {}) == ["you work from one site or none"]
    assert reasons_not_asked({"several_sites": True}, {"several_sites": True}) == []


def test_advice_is_chosen_by_sector_then_trait_then_general():
    assert choose_advice(ADVICE, "retail", {"makes_goods": True}) == "Tell the shop staff."
    kitchen = {"makes_goods": True}
    assert choose_advice(ADVICE, "manufacturing", kitchen) == "Keep a spare oven part."
    both = {"makes_goods": True, "card_in_person": True}
    assert choose_advice(ADVICE, "service", both) == "Keep a spare oven part."
    assert choose_advice(ADVICE, "service", {"card_in_person": True}) == "Keep a spare card reader."
    assert choose_advice(ADVICE, "service", {}) == "Write it down."


def test_a_misspelt_trait_is_reported():
    assert unknown_traits(["makes_goods", "make_goods"]) == ["make_goods"]
    assert "no_premises" in TRAITS
