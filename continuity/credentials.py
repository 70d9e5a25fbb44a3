"""Does a piece of plan text hold a password, PIN or key? Pure functions, no Django.

The continuity plan is printed, kept in a drawer off-site and shared with a
consultant: a password typed into it is a password leaked. So its free text
is refused when it looks like it *holds* a credential ("pw: sunshine"), and
accepted when it only *talks about* one ("the password manager holds the
router login"). ``find_credential`` applies three rules, each explained where
it is written:

1. a credential word, an optional short label, a separator and then a value
   that is a secret ("Wi-Fi password for the router: harbourguest");
2. a "user / password" pair ("Router login admin / Harbour2024");
3. a long word that can only be random ("K7dP9sQ2xW4mZ8vL").

Choices made on purpose, because the plan must stay easy to write:

- A bare "key" is how plans name roles and suppliers ("Key holder: Sam Patel",
  "Key supplier: Brakes"), so only a qualified key ("Wi-Fi key", "encryption
  key") counts as a credential word in full; a bare "key:" is refused only when
  what follows looks random ("Key: 7f3a9c2e").
- "Login" and "user" name an account, and a user name alone is not a secret
  ("Login: via the office laptop", "Login: sam@shop.example"); they are refused
  only when followed by a secret-looking value or a "user / password" pair.
- A plural ("Passwords: Priya") announces who or where, not one password, so
  it is held to the looser rule too; so is "codes" ("Codes: see Sam").
- "Account" is not a credential word: "Account: 12345678" is a bank account's
  number, which the contacts part asks for.
- A single ordinary word right after "password:" or "pw:" is refused even so
  ("pw: sunshine"): people choose ordinary words as passwords. Only words that
  say where a password is ("none", "elsewhere", "1Password") pass, so
  "Password: Priya" is refused: the owner is asked to write "Priya holds it".
- A network's name ("Wi-Fi: BT-Hub-5") is not a secret and is not checked.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """Why a text looks like it holds a credential.

    ``label`` is the text that introduces the secret ("pw:", "admin /"), so the
    owner can find it; never the secret itself. Empty for a lone random word.
    """

    label: str


def find_credential(text: str) -> Finding | None:
    """The first credential the text seems to hold, or None for text that only mentions one."""
    for rule in (_labelled_secret, _user_slash_password, _random_word):
        found = rule(text)
        if found is not None:
            return found
    return None


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- Words ---------------------------------------------------------------------------

# Words whose value *is* the secret: after a separator, even an ordinary word is one.
_STRONG = (
    r"password|passwd|passphrase|pw|pwd|passcode|pin|secret|token"
    # Keys and codes only with a word saying which: a bare "key" names roles and suppliers.
    r"|(?:wi-?fi|wpa[23]?|wep|network|router|encryption|backup|recovery|bitlocker|filevault"
    r"|licen[cs]e|product|api|access|secret|private|security|ssh)[ \t]+key"
    r"|(?:alarm|door|safe|lock|gate|entry|access|security|unlock|keypad|key[ \t]?safe)[ \t]+code"
)
# Words whose value may be a secret, or a name or a list: "Login: Sam", "Key: in the safe",
# "Passwords: Priya", "Parking pass: Priya". (Not "account": "Account: 12345678" is what
# the bank calls you.)
_WEAK = (
    r"pass|passwords|passcodes|pins|secrets|tokens|keys?|codes"
    r"|logins?|log-?in|logon|sign-?in|user(?:[ \t]?name)?"
)

# Not inside a longer word: "1Password" and "password-protected" are not labels.
_KEYWORD = re.compile(
    rf"(?<![\w-])(?:(?P<strong>{_STRONG})|(?P<weak>{_WEAK}))(?![\w-])", re.IGNORECASE
)

# After the keyword: up to four words of label ("for the router"), then a separator
# (":", "=", " - ", " is "). "/" is read by the pair rule below.
_LABEL_THEN_SEPARATOR = re.compile(
    r"(?P<label>(?:[ \t]+(?!(?:is|was)\b)[\w'’()&-]+){0,4}?)"
    r"[ \t]*(?P<separator>[:=]|-(?=[ \t])|(?<=[ \t])(?:is|was)\b:?)",
    re.IGNORECASE,
)
# The value runs to the end of its clause: a line, ";", ",", "(" or a full stop.
_CLAUSE_END = re.compile(r"[\n;,(]|\.(?=\s|$)")

# A label with one of these words names a person, a place or a rule, not the secret:
# "Password holder: Priya", "Password manager: Bitwarden", "PIN reset: call the bank".
_ROLE_WORDS = _words(
    """
    holder holders keeper keepers owner owners manager managers contact contacts person
    people location place reset resets policy rules change changes changed expiry
    supplier suppliers staff customers recovery hint hints process procedure safe
    """
)

# A lone word after "password:" that says where the password is, not what it is.
_POINTS_ELSEWHERE = _words(
    """
    none n/a na nil unknown tbc tbd tba pending changed elsewhere separately written
    kept stored printed below above attached sealed manager vault safe envelope
    1password bitwarden lastpass keepass keepassxc dashlane keeper nordpass
    """
)

# Product names that mix letters with digits or capitals and are not secrets.
_KNOWN_NAMES = _words(
    """
    1password lastpass keepass keepassxc nordpass bitwarden icloud iphone ipad onedrive
    sharepoint quickbooks dropbox m365 o365 office365 microsoft365 wpa2 wpa3 2fa mfa
    """
)

# Accounts that come with a device: "admin / sunshine" is a router's login.
_DEFAULT_USERS = _words(
    """
    admin administrator root user guest sa pi ubnt
    """
)


def looks_like_a_secret(word: str) -> bool:
    """A word shaped like a password, PIN or key rather than like a word of a sentence.

    Letters mixed with digits ("Harbour2024", "7f3a9c2e"), four or more digits (a PIN
    or alarm code), capitals inside a word ("HarbourGuest"), or symbols inside a word
    ("Sunsh!ne"). Addresses and paths are not secrets: a plan names where backups are.
    """
    word = word.strip("\"'“”‘’.,;:!?")
    if word.lower() in _KNOWN_NAMES or any(mark in word for mark in ("://", "@", "/", "\\")):
        return False
    letters = any(c.isalpha() for c in word)
    digits = any(c.isdigit() for c in word)
    if letters and digits and len(word) >= 4:
        return True
    if word.isdigit() and len(word) >= 4:
        return True
    inner = word[1:]
    if len(word) >= 6 and any(c.isupper() for c in inner) and any(c.islower() for c in word):
        return True
    return len(word) >= 6 and letters and any(not c.isalnum() and c not in "-'’" for c in inner)


def _points_elsewhere(word: str) -> bool:
    return word.strip("\"'“”‘’.,;:!?").lower() in _POINTS_ELSEWHERE


# --- Rule 1: a credential word, a separator, and a secret -----------------------------


def _labelled_secret(text: str) -> Finding | None:
    """ "pw: sunshine", "Wi-Fi password for the router: harbourguest", "Alarm PIN 4821"."""
    for keyword in _KEYWORD.finditer(text):
        strong = keyword.group("strong") is not None
        after = _LABEL_THEN_SEPARATOR.match(text, keyword.end())
        if after is None:
            # No separator: only a secret-shaped word right after a strong keyword
            # ("PIN 4821", "password Harbour2024"); "password every year" is a sentence.
            following = re.match(r"[ \t]+(\S+)", text[keyword.end() :])
            if strong and following and looks_like_a_secret(following.group(1)):
                return Finding(f"{keyword.group()} …")
            continue
        if set(after.group("label").lower().split()) & _ROLE_WORDS:
            continue
        rest = text[after.end() :].lstrip(" \t\n-*•")
        words = _CLAUSE_END.split(rest, maxsplit=1)[0].split()
        if not words:
            continue
        lone = len(words) == 1
        if strong:
            # "password: Tr0ub4dor for the router", or one word and nothing else:
            # "pw: sunshine" (people do choose ordinary words), but not "Password: none".
            secret = looks_like_a_secret(words[0]) or (lone and not _points_elsewhere(words[0]))
        else:
            # "Login: Harbour2024" but not "Login: Sam" nor "Key: in the safe".
            secret = lone and looks_like_a_secret(words[0])
        if secret:
            return Finding(text[keyword.start() : after.end()].strip())
    return None


# --- Rule 2: "user / password" ---------------------------------------------------------

# Not part of an address or a path ("https://nas/backups", "24/7 cover", "Mon/Wed/Fri").
_PAIR = re.compile(
    r"(?<![\w.@+/\\:-])(?P<user>[\w.@+-]+)[ \t]*/[ \t]*(?P<password>[^\s/,;]+)(?![^\s,;])"
)
_LOGIN_CONTEXT = re.compile(
    r"\b(?:login|log-?in|logon|sign-?in|user(?:[ \t]?name)?|admin|credentials?)\b",
    re.IGNORECASE,
)


def _user_slash_password(text: str) -> Finding | None:
    """ "Router login admin / Harbour2024", "admin / sunshine"; not "Sam / Priya" nor "24/7"."""
    for pair in _PAIR.finditer(text):
        user, password = pair.group("user"), pair.group("password").rstrip(".")
        default_user = user.lower() in _DEFAULT_USERS
        clause = re.split(r"[.;\n]", text[: pair.start()])[-1]
        if not (default_user or _LOGIN_CONTEXT.search(clause)):
            continue
        # After a device's default account, a word ending the clause is its password
        # ("admin / admin"); "Admin / owner: Sam Patel" names two roles.
        lone = re.match(r"[ \t]*(?:[\n;,(]|$)", text[pair.end() :]) is not None
        if looks_like_a_secret(password) or (
            default_user and lone and password.lower() not in _ROLE_WORDS
        ):
            return Finding(f"{user} /")
    return None


# --- Rule 3: a long random word ----------------------------------------------------------


def _random_word(text: str) -> Finding | None:
    """ "K7dP9sQ2xW4mZ8vL": twelve or more characters mixing three kinds (lower, upper,
    digits, symbols), which no word of a sentence does. Addresses and paths pass, and so
    do the punctuation around a word ("Electricity:") and hyphens and apostrophes inside
    a name ("Harbourside-Dental's")."""
    for word in text.split():
        word = word.strip("\"'“”‘’.,;:!?()")
        if len(word) < 12 or any(mark in word for mark in ("://", "@", "/", "\\")):
            continue
        kinds = [
            any(c.islower() for c in word),
            any(c.isupper() for c in word),
            any(c.isdigit() for c in word),
            any(not c.isalnum() and c not in "-'’" for c in word),
        ]
        if sum(kinds) >= 3:
            return Finding("")
    return None
