"""The questionnaire form: one section (pillar) of an assessment at a time.

Each question posts its choice, an optional note, the revision the page was
loaded with, and the choice and note it showed then. Only questions whose
choice or note differ from what was shown are written, so an untouched
question in an old tab never overwrites a newer answer from another tab.
"""

from django import forms

from .models import Answer
from .services import AnswerInput

DONT_KNOW_LABEL = "Don't know"
NOT_APPLICABLE_LABEL = "Not applicable to my business"


NOTE_LABEL = "Note (optional): evidence, or who is responsible"


def choice_of(answer: Answer | None) -> str:
    if answer is None or answer.kind is None:
        return ""
    if answer.kind == Answer.Kind.OPTION:
        return str(answer.value)
    return answer.kind


# What each question carries, hidden, from when the page was loaded: the stale-write check.
LOADED_FIELDS = ("rev", "orig", "orignote")


def loaded_values(answer: Answer | None) -> tuple[int, str, str]:
    """The revision, choice and note a page loads for a question (no answer yet: 0, "", "")."""
    if answer is None:
        return 0, "", ""
    return answer.revision, choice_of(answer), answer.note


def question_choices(question) -> list[tuple[str, str]]:
    """What a question offers: its options, "Don't know", and "Not applicable" where allowed."""
    choices = [(str(o.value), o.label) for o in question.options.all()]
    choices.append((Answer.Kind.DONT_KNOW, DONT_KNOW_LABEL))
    if question.allow_na:
        choices.append((Answer.Kind.NOT_APPLICABLE, NOT_APPLICABLE_LABEL))
    return choices


class QuestionRow(dict):
    """What the question partial prints; the choices are listed only when it is printed.

    Most section pages reuse printed cards (the question_card tag), so the
    row's ``options`` are made on first use rather than for every question
    of every page.
    """

    def __missing__(self, key):
        if key != "options":
            raise KeyError(key)
        question, choice, choice_id = self["question"], self["choice"], self["id"]
        options = self["options"] = [
            {"value": value, "label": label, "id": f"{choice_id}_{i}", "checked": value == choice}
            for i, (value, label) in enumerate(question_choices(question))
        ]
        return options


def question_row(question, *, choice, note, hidden, errors=(), note_errors=()) -> QuestionRow:
    """Everything the question partial prints, computed here rather than in templates.

    A section has about eighteen questions with six choices each; printing
    them through crispy's field templates took some 460 template renders
    per page, most of the page's time. The partial writes the same
    Bootstrap 5 markup crispy would (fieldset, legend, help and error tied
    by aria-describedby) straight from these values. Names and ids are
    those SectionForm's fields have, so a posted page validates as one form.
    """
    name, note_name = f"q-{question.code}", f"note-{question.code}"
    return QuestionRow(
        question=question,
        name=name,
        id=f"id_{name}",
        choice=choice,
        errors=errors,
        note_name=note_name,
        note_id=f"id_{note_name}",
        note_value=note,
        note_label=NOTE_LABEL,
        note_errors=note_errors,
        note_max=Answer.NOTE_MAX_LENGTH,
        hidden=hidden,
    )


def question_rows(questions, answers: dict) -> list[QuestionRow]:
    """The rows of a section page as stored, without building a form (the GET page).

    ``answers`` maps question code to Answer. Each question carries, hidden,
    the revision, choice and note the page shows, for the stale-write check.
    """
    rows = []
    for q in questions:
        loaded = loaded_values(answers.get(q.code))
        hidden = [
            (f"{name}-{q.code}", value) for name, value in zip(LOADED_FIELDS, loaded, strict=True)
        ]
        _, choice, note = loaded
        rows.append(question_row(q, choice=choice, note=note, hidden=hidden))
    return rows


class SectionForm(forms.Form):
    """A posted section page: validates every question's choice and note."""

    def __init__(self, *args, questions, answers: dict, **kwargs):
        """``questions`` in display order; ``answers`` maps question code to Answer."""
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.answers = answers
        for q in questions:
            loaded = loaded_values(answers.get(q.code))
            _, choice, note = loaded
            self.fields[f"q-{q.code}"] = forms.ChoiceField(
                label=q.text,
                choices=question_choices(q),
                required=False,
                widget=forms.RadioSelect(attrs={"data-question": q.code}),
                help_text=q.help,
                initial=choice,
            )
            self.fields[f"note-{q.code}"] = forms.CharField(
                label=NOTE_LABEL,
                required=False,
                max_length=Answer.NOTE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2, "data-question": q.code}),
                initial=note,
            )
            for name, value in zip(LOADED_FIELDS, loaded, strict=True):
                self.fields[f"{name}-{q.code}"] = forms.CharField(
                    required=False, widget=forms.HiddenInput, initial=value
                )

    def rows(self):
        """(question, choice field, note field, hidden fields) for the template."""
        for q in self.questions:
            yield (
                q,
                self[f"q-{q.code}"],
                self[f"note-{q.code}"],
                [self[f"{n}-{q.code}"] for n in LOADED_FIELDS],
            )

    def question_rows(self) -> list[QuestionRow]:
        """The rows as posted, with their errors (a page sent back to be corrected)."""
        rows = []
        for q in self.questions:
            choice, note = self[f"q-{q.code}"], self[f"note-{q.code}"]
            hidden = [
                (self[f"{n}-{q.code}"].html_name, self[f"{n}-{q.code}"].value())
                for n in LOADED_FIELDS
            ]
            rows.append(
                question_row(
                    q,
                    choice=str(choice.value() or ""),
                    note=note.value() or "",
                    hidden=hidden,
                    errors=choice.errors,
                    note_errors=note.errors,
                )
            )
        return rows

    def changed_answers(self) -> list[AnswerInput]:
        """The answers the owner changed on this page, ready for ``answers_save``."""
        changed = []
        for q in self.questions:
            choice = self.cleaned_data.get(f"q-{q.code}") or ""
            note = (self.cleaned_data.get(f"note-{q.code}") or "").strip()
            orig = self.cleaned_data.get(f"orig-{q.code}") or ""
            orignote = (self.cleaned_data.get(f"orignote-{q.code}") or "").strip()
            if choice == orig and note == orignote:
                continue
            try:
                revision = int(self.cleaned_data.get(f"rev-{q.code}") or 0)
            except ValueError:
                revision = 0
            changed.append(
                AnswerInput(question_code=q.code, choice=choice, note=note, revision=revision)
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
