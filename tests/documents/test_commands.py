"""``render_documents``: the sweep renders every stale PDF, and only those."""

import pytest
from django.core.management import call_command

from consultants.services import review_comment_add
from documents.kinds import CONTINUITY_PLAN, REPORT

pytestmark = pytest.mark.django_db


def test_the_sweep_renders_missing_and_stale_pdfs_only(
    assessment, plan, consultant, queue, renders, capsys
):
    call_command("render_documents")
    assert renders == [REPORT, CONTINUITY_PLAN]
    assert "Rendered 2 stale PDFs." in capsys.readouterr().out

    call_command("render_documents")
    assert renders == [REPORT, CONTINUITY_PLAN]

    review_comment_add(assessment=assessment, author=consultant, text="Well done.")
    call_command("render_documents")
    assert renders == [REPORT, CONTINUITY_PLAN, REPORT]
