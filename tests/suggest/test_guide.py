"""The corpus guide's steps for `kg suggest` in the order they can be done (review of issue 16)."""

from __future__ import annotations

from ..conftest import CORPUS


def test_the_guide_drafts_before_adding_the_entries_the_draft_proposes():
    guide = (CORPUS / "README.md").read_text(encoding="utf-8")
    steps = guide[guide.index("## Adding a sixth document"):guide.index("## The annotation file")]
    assert steps.index("3. **Draft**") < steps.index("4. **Add missing actors") < steps.index("5. **Review")
    assert "kg suggest <doc-id>" in steps[steps.index("3. **Draft**"):steps.index("4. **Add missing")]
    assert "first among" not in steps  # kg validate sorts by file and line, not left-to-decide first
