"""Command line: ``python -m scoring --framework FILE --answers FILE [--sector KEY]
[--traits NAME,...]``.

``--traits`` names the business profile's traits that hold (``scoring.profile``);
questions that do not apply to them are not scored, and answers to them are ignored.

Prints the result as JSON on stdout (scores rounded to two decimals). Bad
input exits with status 2 and one line on stderr, ``error: <what is wrong>``,
never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from scoring.engine import score
from scoring.loader import (
    ScoringInputError,
    load_answers_file,
    load_framework_file,
    validate_answers,
)
from scoring.profile import TRAITS, unknown_traits

EXIT_BAD_INPUT = 2
# Two decimals keep quarter points exact (56.25), which one decimal would round half-to-even.
OUTPUT_DIGITS = 2


class _OneLineParser(argparse.ArgumentParser):
    """argparse that reports usage mistakes in the same one-line form as bad input."""

    def error(self, message):
        self.exit(EXIT_BAD_INPUT, f"error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, separate so its help text can be tested and reused."""
    parser = _OneLineParser(
        prog="python -m scoring",
        description="Score one assessment against a framework and print the result as JSON.",
    )
    parser.add_argument(
        "--framework", required=True, help="framework file: YAML source or JSON export"
    )
    parser.add_argument(
        "--answers",
        required=True,
        help='JSON object: question id -> option value, "na" or "dont_know"',
    )
    parser.add_argument(
        "--sector", help="sector key for the pillar weights (default: every pillar weighs 1.0)"
    )
    parser.add_argument(
        "--traits",
        default="",
        help="comma-separated profile traits that hold for the business, such as "
        "no_premises,works_away (default: none)",
    )
    return parser


def parse_traits(text: str) -> dict[str, bool]:
    """``"no_premises,works_away"`` as {trait: True}; an unknown name is refused."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    for name in unknown_traits(names):
        raise ScoringInputError(f"unknown trait {name!r} (known: {', '.join(TRAITS)})")
    return dict.fromkeys(names, True)


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        framework = load_framework_file(args.framework)
        answers = load_answers_file(args.answers)
        try:
            validate_answers(framework, answers)
        except ScoringInputError as exc:
            raise ScoringInputError(f"{args.answers}: {exc}") from None
        if args.sector is not None and framework.sector(args.sector) is None:
            known = ", ".join(sorted(s.key for s in framework.sectors)) or "none"
            raise ScoringInputError(f"unknown sector {args.sector!r} (known: {known})")
        traits = parse_traits(args.traits)
    except ScoringInputError as exc:
        message = " ".join(str(exc).split())
        print(f"error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = score(framework.for_profile(traits), answers, args.sector)
    try:
        print(json.dumps(result.to_dict(ndigits=OUTPUT_DIGITS), indent=2, ensure_ascii=False))
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (`| head`) left early; point stdout at devnull so the
        # interpreter's final flush does not print a traceback (Python docs' recipe).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0
