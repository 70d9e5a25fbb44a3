"""What a first draft of the plan says: sector checklists, message templates, and the gaps.

Plain data and functions, no Django: the services store what ``draft_parts``
returns, the selectors list what ``plan_gaps`` finds. Question ids of both
shipped framework versions (2026.1 and 2026.2) are named where they differ.
"""

from __future__ import annotations

from dataclasses import dataclass

import scoring

# The three most likely disruptions per sector, with what to do in the first hour,
# day and week: one step per line, short enough to follow from a printout.
SCENARIOS = {
    "manufacturing": [
        (
            "A key machine breaks down",
            "Stop the machine safely and keep people clear\nCall the maintenance contract or "
            "engineer\nMove urgent orders to another machine or shift",
            "Tell customers whose orders are late, with a new date\nAsk the engineer how long the "
            "repair takes\nCheck whether a partner can make the urgent parts",
            "Hire or borrow a machine if the repair takes longer than your downtime limit\n"
            "Claim on the breakdown insurance\nWrite down what would have made it quicker",
        ),
        (
            "A key supplier cannot deliver",
            "Check how much stock of the item is left, in days of production\nCall the supplier "
            "for a delivery date\nCall the alternate supplier for price and lead time",
            "Order from the alternate if the stock runs out before the delivery date\nPut the "
            "orders that use the item in priority order\nTell affected customers",
            "Keep ordering from both until the main supplier is reliable again\nReview how much "
            "stock of the item you keep",
        ),
        (
            "Fire, flood or a power cut at the site",
            "Get everyone out to the evacuation point and count them\nCall the emergency "
            "services\nDo not go back in until it is declared safe",
            "Call the insurer's claim line and take photos\nCall the staff using the call tree\n"
            "Tell customers and suppliers with the message templates",
            "Move urgent work to the alternate site or a partner\nAgree repair dates with the "
            "landlord\nKeep a log of costs for the claim",
        ),
    ],
    "service": [
        (
            "Computers, phones or internet go down",
            "Switch to the paper appointment list and the mobile phone\nCall IT support\n"
            "Tell the clients booked in the next hours",
            "Use the backup to reach records from another device\nReschedule what cannot be "
            "done without the system\nKeep notes on paper to enter later",
            "Enter the paper notes into the system\nAsk IT support what failed and how to "
            "prevent it\nCheck the restore worked for every record",
        ),
        (
            "Key staff are off sick or cannot travel",
            "Check who is available today using the call tree\nPut today's appointments and "
            "jobs in priority order\nCall the clients you cannot serve",
            "Ask the staff who can cover each key task\nCall locums, agency staff or a partner "
            "business\nMove routine work to next week",
            "Plan cover for the rest of the absence\nTrain a second person for any task only one "
            "person could do",
        ),
        (
            "The premises cannot be used (fire, flood, no access)",
            "Get everyone out and count them at the evacuation point\nCall the emergency "
            "services\nPut a notice on the door and the website",
            "Call the landlord and the insurer's claim line\nMove appointments to the alternate "
            "place or to phone and video\nTell clients with the message template",
            "Agree how long the premises are closed\nSet up the alternate place for the weeks "
            "ahead\nKeep a log of costs for the claim",
        ),
    ],
    "retail": [
        (
            "Power cut or card payments stop",
            "Switch to the card reader's mobile data or take cash only\nPut up a sign at the "
            "door and the till\nCall the electricity supplier or payment provider for a time",
            "Move chilled and frozen stock to cold storage if the power stays off\nTake orders "
            "by phone for collection later\nKeep a paper record of every sale",
            "Enter the paper sales\nClaim for spoiled stock\nDecide whether to buy a backup "
            "card reader or generator",
        ),
        (
            "A key supplier cannot deliver",
            "Check how many days of stock are left of the affected lines\nCall the supplier for "
            "a delivery date\nCall the alternate supplier",
            "Order the best-sellers from the alternate\nUpdate the shelves and the website so "
            "customers are not let down\nTell staff what to say",
            "Keep a second supplier for the lines you cannot be without\nReview your reorder "
            "levels",
        ),
        (
            "Break-in, fire or flood at the shop",
            "Get everyone out and call the emergency services\nDo not touch anything a police "
            "officer may need\nCall the landlord",
            "Call the insurer's claim line; photograph the damage and stock\nSecure the shop "
            "(boarding up, locksmith)\nTell customers on the door, the website and social media",
            "Sell from the alternate place or online while the shop is repaired\nKeep a log of "
            "costs and lost sales for the claim\nWalk through what would have helped",
        ),
    ],
    "technology": [
        (
            "A cyber attack or ransomware",
            "Unplug the affected machines from the network, do not switch them off\nCall IT "
            "support or the cyber insurance line\nChange the passwords of the email and admin "
            "accounts from a clean device",
            "Work out which client data and systems are affected\nRestore from the backup that "
            "cannot be changed\nTell affected clients; report a data breach within the legal "
            "time limit",
            "Check every account for second-step login\nWrite down how it got in and close the "
            "gap\nWalk the team through what happened",
        ),
        (
            "The cloud provider or a key platform goes down",
            "Check the provider's status page and tell the team\nTell clients whose work or "
            "sites are affected\nSwitch to the backup tools you agreed",
            "Move urgent work to the alternate platform or a local copy\nKeep clients updated "
            "twice a day",
            "Ask the provider for the cause and a credit\nReview whether the provider's promises "
            "match your downtime limits",
        ),
        (
            "A key person is suddenly unavailable",
            "Check who holds their client work and their access\nTell the clients whose "
            "deadlines are this week",
            "Hand each of their projects to a named colleague\nUse the shared notes and the "
            "password manager's emergency access",
            "Bring in a freelancer for the gap if needed\nMake sure no task depends on one "
            "person only",
        ),
    ],
    "general": [
        (
            "Power, internet or phones go down",
            "Switch to mobile phones and paper\nCall the supplier for a time\nTell the people "
            "you are due to serve",
            "Work from the alternate place if it lasts\nKeep paper records to enter later",
            "Enter the paper records\nDecide whether a backup connection is worth it",
        ),
        (
            "The premises cannot be used",
            "Get everyone out and count them at the evacuation point\nCall the emergency services",
            "Call the landlord and the insurer's claim line\nMove work to the alternate place\n"
            "Tell customers and suppliers",
            "Agree how long the premises are closed\nKeep a log of costs for the claim",
        ),
        (
            "Key staff are off sick",
            "Check who is available using the call tree\nPut today's work in priority order",
            "Ask who can cover each key task\nTell customers of any delay",
            "Plan cover for the rest of the absence\nTrain a second person for key tasks",
        ),
    ],
}

ACTIVITIES = {
    "manufacturing": [
        "Making and dispatching orders",
        "Buying materials",
        "Invoicing and getting paid",
    ],
    "service": [
        "Seeing clients and doing jobs",
        "Booking and rescheduling appointments",
        "Invoicing and getting paid",
    ],
    "retail": [
        "Selling to customers at the till",
        "Receiving and restocking goods",
        "Paying staff",
    ],
    "technology": [
        "Delivering client projects",
        "Keeping client sites and systems running",
        "Invoicing and getting paid",
    ],
    "general": ["Serving customers", "Paying staff and suppliers"],
}

CONTACT_ROLES = ["emergency", "landlord", "insurer", "bank", "it", "utility"]

MESSAGES = {
    "staff": (
        "{business}: we have a problem at work ({what}). Do not come in until you hear from "
        "{owner}. We will call you by {when}. Reply to this message so we know you have it."
    ),
    "customers": (
        "{business} is affected by {what}. Your order or appointment on {date} will "
        "{change}. We will update you by {when}. Call us on {phone} with any question."
    ),
    "suppliers": (
        "{business} is affected by {what}. Please hold deliveries until {date} / deliver to "
        "{place} instead. Call {owner} on {phone}."
    ),
}


@dataclass(frozen=True)
class Rule:
    """A weak answer that the plan should act on: in which part, and what to do."""

    question_ids: tuple[str, ...]  # the same question in each framework version
    at_most: int  # the answer value up to which (and "don't know") the plan asks for action
    part: str
    task: str


RULES = (
    Rule(
        ("OP-F-04",),
        1,
        "suppliers",
        "Name an alternate supplier for each key item, and contact them before you need them.",
    ),
    Rule(
        ("OP-A-03",),
        0,
        "suppliers",
        "Place a test order with the alternate supplier of your most important item.",
    ),
    Rule(
        ("TE-F-02",),
        1,
        "data",
        "Test the restore: bring back one file from the backup, and write down the date and "
        "how long it took.",
    ),
    Rule(("TE-F-01",), 2, "data", "Keep a copy of the backup outside the building."),
    Rule(
        ("TE-I-10",),
        2,
        "data",
        "Decide how much recent work you could afford to lose, and make the backups run at "
        "least that often.",
    ),
    Rule(
        ("OP-F-02",),
        1,
        "contacts",
        "Keep a printed copy of this contact list off-site, and one on a second phone.",
    ),
    Rule(
        ("TE-I-05",),
        1,
        "contacts",
        "Find an IT support contact who agrees how fast they respond.",
    ),
    Rule(
        ("OP-I-01",),
        1,
        "activities",
        "Work out how long each critical activity can stop before you lose customers or money.",
    ),
    Rule(
        ("OP-F-06", "OP-F-07"),
        1,
        "activities",
        "Train a second person for each task the business cannot run without.",
    ),
    Rule(
        ("OP-A-06", "OP-I-09"),
        1,
        "premises",
        "Arrange an alternate place to work, such as a partner's site or home working.",
    ),
    Rule(
        ("OP-F-09",),
        1,
        "premises",
        "Agree an evacuation point and who checks that everyone is out.",
    ),
    Rule(
        ("OP-I-02",),
        2,
        "checklists",
        "Walk through these checklists with your staff, and record it below.",
    ),
    Rule(
        ("AD-F-06",),
        1,
        "communications",
        "Agree who tells customers and suppliers, and how, if you close suddenly.",
    ),
)


@dataclass(frozen=True)
class PlanGap:
    """A gap the plan reveals: the part it belongs to, what to do, and the answer that showed it."""

    part: str
    question_id: str
    task: str
    answer: str  # the option label the owner chose, as they read it


def plan_gaps(framework: scoring.Framework, result: scoring.Result | None) -> list[PlanGap]:
    """The gaps of a submitted assessment that the plan acts on, most pressing first."""
    if result is None:
        return []
    rules = {qid: rule for rule in RULES for qid in rule.question_ids}
    gaps = []
    for gap in result.gaps:  # ranked by the scoring engine
        rule = rules.get(gap.question_id)
        if rule is None or not _weak(gap.answer, rule.at_most):
            continue
        question = framework.question(gap.question_id)
        label = question.answer_label(gap.answer)
        gaps.append(PlanGap(rule.part, gap.question_id, rule.task, label))
    return gaps


def _weak(answer, at_most: int) -> bool:
    """Don't know, or an option value up to ``at_most`` ("na" is never a gap)."""
    if answer == scoring.DONT_KNOW:
        return True
    return not isinstance(answer, str) and answer <= at_most


def draft_parts(
    *, sector: str, business: str, answers: dict[str, str], gaps: list[PlanGap]
) -> dict[str, dict]:
    """The first content of every part, from the sector and the answers' labels.

    ``answers`` maps question ids to the label of the option chosen. Text that
    quotes an answer says so, so the owner knows to replace it with the facts.
    """

    def from_answer(*question_ids: str, lead="Your assessment says") -> str:
        label = next((answers[q] for q in question_ids if q in answers), "")
        return f"{lead}: {label}." if label else ""

    sector = sector if sector in SCENARIOS else "general"
    parts_with_gaps = {gap.part for gap in gaps}
    suppliers_note = (
        "Add an alternate for each: your assessment found no second supplier you could order "
        "from within a week."
        if "suppliers" in parts_with_gaps
        else ""
    )
    return {
        "activities": {
            "rows": [
                {"activity": a, "downtime": "", "needs": "", "workaround": ""}
                for a in ACTIVITIES[sector]
            ]
        },
        "contacts": {
            "rows": [
                {"role": r, "name": "", "phone": "", "email": "", "reference": "", "calls": ""}
                for r in CONTACT_ROLES
            ]
        },
        "suppliers": {
            "rows": [
                {
                    "kind": "supplier",
                    "name": "",
                    "phone": "",
                    "depends": "",
                    "alternate": suppliers_note,
                }
            ]
        },
        "data": {
            "backups": from_answer("TE-F-01"),
            "restore": from_answer("TE-F-02", lead="Last test of a restore, in your assessment"),
            "passwords": "",
            "recovery_point": from_answer("TE-I-10"),
        },
        "premises": {
            "evacuation_point": from_answer("OP-F-09"),
            "shutoffs": "",
            "alternate_site": from_answer("OP-I-09", "OP-A-06"),
        },
        "checklists": {
            "rows": [
                {"disruption": d, "first_hour": h, "first_day": day, "first_week": w}
                for d, h, day, w in SCENARIOS[sector]
            ]
        },
        "communications": {
            key: text.replace("{business}", business) for key, text in MESSAGES.items()
        },
    }
