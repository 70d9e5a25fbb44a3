"""The questionnaire form: one section (pillar) of an assessment at a time.

Each question posts its choice, an optional note, the revision the page was
loaded with, and the choice and note it showed then. Only questions whose
choice or note differ from what was shown are written, so an untouched
question in an old tab never overwrites a newer answer from another tab.
"""

from django import forms

from assessments.models import Answer
from assessments.services import AnswerInput
from scoring import QuestionDef

NOTE_LABEL = "Note (optional): evidence, or who is responsible"
KEEP_LABEL = "Still true: keep this answer"
# What each question carries, hidden, from when the page was loaded: the stale-write check.
LOADED_FIELDS = ("rev", "orig", "orignote")


def choice_of(answer: Answer | None) -> str:
    """The form value an answer shows: an option value as text, "na", "dont_know" or ""."""
    if answer is None or answer.kind is None:
        return ""
    if answer.kind == Answer.Kind.OPTION:
        return str(answer.value)
    return answer.kind


def loaded_values(answer: Answer | None) -> tuple[int, str, str]:
    """The revision, choice and note a page loads for a question (no answer yet: 0, "", "")."""
    if answer is None:
        return 0, "", ""
    return answer.revision, choice_of(answer), answer.note


def question_choices(question: QuestionDef) -> list[tuple[str, str]]:
    """What a question offers: its options, "Don't know", and "Not applicable" where allowed."""
    choices = [(str(o.value), o.label) for o in question.options]
    choices.append((Answer.Kind.DONT_KNOW, Answer.Kind.DONT_KNOW.label))
    if question.allow_na:
        choices.append((Answer.Kind.NOT_APPLICABLE, Answer.Kind.NOT_APPLICABLE.label))
    return choices


class SectionForm(forms.Form):
    """One section page: every question's choice and note, and what the page was loaded with.

    Unbound, it shows the stored answers; bound, it validates a posted page.
    """

    def __init__(self, *args, questions, answers: dict, done_since: set = frozenset(), **kwargs):
        """``questions`` (QuestionDef) in display order; ``answers`` maps question id to Answer.

        ``done_since``: ids of questions whose action the owner marked done
        since the last assessment, called out where the answer was carried over.
        """
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.carried = {code for code, a in answers.items() if a.carried_over}
        self.done_since = done_since
        for q in questions:
            loaded = loaded_values(answers.get(q.id))
            if q.id in self.carried:
                # Ticked, it confirms an answer the owner keeps as it was (no radio changes).
                self.fields[f"keep-{q.id}"] = forms.BooleanField(label=KEEP_LABEL, required=False)
            _, choice, note = loaded
            self.fields[f"q-{q.id}"] = forms.ChoiceField(
                label=q.text, choices=question_choices(q), required=False, initial=choice
            )
            self.fields[f"note-{q.id}"] = forms.CharField(
                label=NOTE_LABEL, required=False, max_length=Answer.NOTE_MAX_LENGTH, initial=note
            )
            for name, value in zip(LOADED_FIELDS, loaded, strict=True):
                self.fields[f"{name}-{q.id}"] = forms.CharField(
                    required=False, widget=forms.HiddenInput, initial=value
                )

    def question_rows(self) -> list[dict]:
        """What the question partial prints for each question, with any errors."""
        rows = []
        for q in self.questions:
            choice, note = self[f"q-{q.id}"], self[f"note-{q.id}"]
            value = str(choice.value() or "")
            rows.append(
                {
                    "question": q,
                    "choice": choice,
                    "options": [
                        {
                            "value": v,
                            "label": label,
                            "id": f"{choice.auto_id}_{i}",
                            "checked": v == value,
                        }
                        for i, (v, label) in enumerate(question_choices(q))
                    ],
                    "note": note,
                    "note_max": Answer.NOTE_MAX_LENGTH,
                    "keep": self[f"keep-{q.id}"] if q.id in self.carried else None,
                    "done_since": q.id in self.carried and q.id in self.done_since,
                    "hidden": [self[f"{name}-{q.id}"] for name in LOADED_FIELDS],
                }
            )
        return rows

    def changed_answers(self) -> list[AnswerInput]:
        """The answers the owner changed on this page, ready for ``answers_save``."""
        changed = []
        for q in self.questions:
            choice = self.cleaned_data.get(f"q-{q.id}") or ""
            note = (self.cleaned_data.get(f"note-{q.id}") or "").strip()
            orig = self.cleaned_data.get(f"orig-{q.id}") or ""
            orignote = (self.cleaned_data.get(f"orignote-{q.id}") or "").strip()
            keep = self.cleaned_data.get(f"keep-{q.id}")
            if choice == orig and note == orignote and not keep:
                continue
            try:
                revision = int(self.cleaned_data.get(f"rev-{q.id}") or 0)
            except ValueError:
                revision = 0
            changed.append(
                AnswerInput(question_code=q.id, choice=choice, note=note, revision=revision)
            )
        return changed

    def add_answer_errors(self, errors: dict, current: dict):
        """Attach service errors to their fields; refresh stale rows to the stored revision."""
        data = self.data.copy()
        for code, error in errors.items():
            field = f"note-{code}" if error.field == "note" else f"q-{code}"
            if field in self.fields:
                self.add_error(field, error.message)
            stored = current.get(code)
            if stored is not None and getattr(error, "answer", None) is not None:
                # Choosing again now overwrites the newer answer deliberately.
                data[f"rev-{code}"] = str(stored.revision)
                data[f"orig-{code}"] = choice_of(stored)
                data[f"orignote-{code}"] = stored.note
        self.data = data


class AutosaveForm(forms.Form):
    """One answer from the autosave script."""

    choice = forms.CharField(required=False, max_length=20)
    note = forms.CharField(required=False, max_length=Answer.NOTE_MAX_LENGTH, strip=True)
    revision = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
