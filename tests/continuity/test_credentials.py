"""Secrets stay out of the plan: what the credential check refuses, and what it lets through.

Two tables a reader can scan: text that holds a password, PIN or key (refused),
and text that only talks about one (accepted). Each line says why it is there.
"""

import pytest

import scoring
from continuity import drafts
from continuity.credentials import find_credential
from tests.conftest import FULL_FRAMEWORK

HOLDS_A_SECRET = [
    # The four from issue 24.
    ("Wi-Fi password for the router: harbourguest", "a label, then one word that is no word"),
    ("login: admin pw: sunshine", "an ordinary word right after pw:"),
    ("Backup encryption key = 7f3a9c2e", "a qualified key, then hex"),
    ("Router login admin / Harbour2024", "a user / password pair"),
    # The same shapes, and their neighbours.
    ("password: Tr0ub4dor", "letters and digits after password:"),
    ("Admin pwd = hunter2", "pwd ="),
    ("Alarm PIN 4821", "a PIN with no separator"),
    ("Bank PIN: 1234", "a PIN after a colon"),
    ("passcode - 7741", "a dash as the separator"),
    ("Alarm code: 4821", "an alarm code"),
    ("Key safe code = 2580", "a key safe's code"),
    ("The Wi-Fi password is harbourguest", "'is' as the separator"),
    ("Wi-Fi password:\nharbourguest", "the value on the next line"),
    ("WPA2 key: HarbourGuest", "capitals inside a word"),
    ("API token = ghp_4fj29dk3la9", "a token"),
    ("Password for the NAS: Sunsh!ne", "a symbol inside a word"),
    ("pw:sunshine", "no space at all"),
    ("Secret: correcthorse", "one word after secret:"),
    ("Password: Priya", "one word after password: (write 'Priya holds it')"),
    ("Email login sam@shop.example, password Bakery2024", "password, then a secret"),
    ("Login: Harbour2024", "a login that is a secret"),
    ("pass: Harbour2024", "a secret-shaped word after pass:"),
    ("Key: 7f3a9c2e", "a bare key followed by something random"),
    ("admin / sunshine", "a device's default account and its password"),
    ("Login is sam@shop.example / Xk9#mQ2$vL7pZ", "a user name and a password"),
    ("NAS key K7dP9sQ2xW4mZ8vL", "a long random word"),
]

ONLY_MENTIONS_ONE = [
    ("the password manager holds the router login", "says where, names no secret"),
    ("Passwords are in 1Password", "a password manager's name"),
    ("Passwords: 1Password", "a password manager's name after a colon"),
    ("Ask Sam for the Wi-Fi password", "says who"),
    ("Change the router password every year", "a rule about a password"),
    ("Key holder: Sam Patel", "a role: a bare 'key' is not a credential"),
    ("Key holder: Sam", "a role, even with one name"),
    ("Key supplier: Brakes", "'key' as an adjective"),
    ("Login: via the office laptop", "says how to log in"),
    ("Login: sam@shop.example", "a user name alone is not a secret"),
    ("Password holder: Priya", "a role after the credential word"),
    ("Password manager: Bitwarden, the family plan", "the manager's name"),
    ("Password: none", "no password"),
    ("Passwords: Priya and Sam", "who holds them"),
    ("The Wi-Fi password is on the back of the router", "says where"),
    ("The PIN is known to Sam and Priya", "says who"),
    ("PIN for the alarm: ask Priya", "says whom to ask"),
    ("Backup encryption key: in the safe at home", "says where"),
    ("Password reset: call Fixit on 0161 496 0000", "a phone number is not a secret"),
    ("The backup drive is password-protected", "'password' inside a longer word"),
    ("Pin the evacuation map by the door", "'pin' the verb"),
    ("In the password manager; Sam and Priya can open it", "says where and who"),
    ("Admin / owner: Sam Patel", "two roles, not a user and a password"),
    ("Sam / Priya hold the keys", "two names"),
    ("Backups run 24/7 to the NAS", "not a pair"),
    ("Account: 12345678", "a bank account's number"),
    ("Parking pass: Priya", "a pass that is a card, and who has it"),
    ("Electricity: fuse board in the store room", "a long word and its colon"),
    ("Ask Harbourside-Dental's manager", "a long hyphenated name"),
    ("Nightly to the NAS at 02:00, weekly to OneDrive", "a schedule and a service"),
    (r"https://backup.example.com/restore-guide and \\nas01\backups", "an address and a path"),
]


@pytest.mark.parametrize(("text", "why"), HOLDS_A_SECRET)
def test_text_that_holds_a_secret_is_found(text, why):
    assert find_credential(text) is not None, why


@pytest.mark.parametrize(("text", "why"), ONLY_MENTIONS_ONE)
def test_text_that_only_mentions_a_secret_passes(text, why):
    assert find_credential(text) is None, why


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("login: admin pw: sunshine", "pw:"),
        ("Wi-Fi password for the router: harbourguest", "password for the router:"),
        ("Router login admin / Harbour2024", "admin /"),
        ("NAS key K7dP9sQ2xW4mZ8vL", ""),
    ],
)
def test_a_finding_names_what_introduces_the_secret_never_the_secret(text, label):
    assert find_credential(text).label == label


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


@pytest.mark.parametrize("sector", ["manufacturing", "service", "retail", "technology", "general"])
def test_the_draft_we_write_never_looks_like_a_secret(sector):
    """The owner saves the draft as it is: our own words must pass the check."""
    framework = scoring.load_framework_file(FULL_FRAMEWORK)
    for option in range(5):
        answers = {
            q.id: q.options[min(option, len(q.options) - 1)].label for q in framework.questions
        }
        parts = drafts.draft_parts(sector=sector, business="Acme", answers=answers, gaps=[])
        flagged = [text for text in strings(parts) if find_credential(text)]
        assert flagged == []
