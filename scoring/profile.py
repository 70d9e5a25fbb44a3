"""The business profile's traits: which questions apply and which advice fits.

A business is more than its sector. A plumber works from vans, an agency has
no premises, a bakery is a shop with a kitchen behind it. The profile records
a few plain facts as boolean traits; a framework file uses the same names:

- ``applies_when: {no_premises: false}`` on a question: asked only when every
  listed trait has the listed value (a trait not in the profile counts as
  false, so an empty profile is asked everything a one-site business is);
- a trait name as a key under ``recommendations:``: advice for businesses
  with that trait.

Advice is chosen by sector, then traits (in the file's order), then general:
``choose_advice``. This module is the one list of trait names; the loader
refuses any other name, so a typo in a framework file fails on import.
"""

from __future__ import annotations

from collections.abc import Mapping

# name -> what the owner said, as "yes" and as "no", for "not asked because ...".
TRAITS: dict[str, tuple[str, str]] = {
    "several_sites": ("you work from several sites", "you work from one site or none"),
    "no_premises": (
        "you have no premises (you work from home or remotely)",
        "you have premises",
    ),
    "works_away": (
        "you work at customers' places or from vehicles",
        "you do not work at customers' places or from vehicles",
    ),
    "makes_goods": ("you make or prepare what you sell", "you do not make what you sell"),
    "sensitive_data": (
        "you hold health or other sensitive personal data",
        "you hold no health or other sensitive personal data",
    ),
    "regulated": (
        "you are licensed or inspected by a regulator",
        "no regulator licenses or inspects you",
    ),
    "card_in_person": ("you take card payments in person", "you take no card payments in person"),
}

Traits = Mapping[str, bool]


def unknown_traits(names) -> list[str]:
    """The names that are not traits, in their given order (for import errors)."""
    return [name for name in names if name not in TRAITS]


def applies(applies_when: Mapping[str, bool], traits: Traits) -> bool:
    """Whether a question with this ``applies_when`` is asked of this profile."""
    return all(bool(traits.get(name, False)) == wanted for name, wanted in applies_when.items())


def reasons_not_asked(applies_when: Mapping[str, bool], traits: Traits) -> list[str]:
    """Why a question is not asked, in the owner's words ("you have no premises ...")."""
    reasons = []
    for name, wanted in applies_when.items():
        if bool(traits.get(name, False)) != wanted:
            said_yes, said_no = TRAITS[name]
            reasons.append(said_no if wanted else said_yes)
    return reasons


def choose_advice(recommendations: Mapping[str, str], sector: str, traits: Traits) -> str:
    """The advice for this business: its sector's, else its first trait's, else general."""
    if sector in recommendations:
        return recommendations[sector]
    for key, advice in recommendations.items():
        if key in TRAITS and traits.get(key, False):
            return advice
    return recommendations["general"]
