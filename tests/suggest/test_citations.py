"""The norm-citation finder, table-driven: how lawyers and journalists write a citation."""

from __future__ import annotations

import pytest

from kg.suggest.citations import Citations
from kg.suggest.lexicon import lexicon

CASES = [
    # (text, context before it, the norms found)
    ("consistent with Article 51 of the UN Charter", "", ["un-charter-art-51"]),
    ("consistent with Article 51 of the founding U.N. Charter", "", ["un-charter-art-51"]),
    ("a breach of Art. 2(4) of the Charter", "", ["un-charter-art-2-4"]),
    ("a breach of Art. 2(4)", "as the UN Charter says", ["un-charter-art-2-4"]),
    ("Article 2, paragraph 4 of the Charter of the United Nations", "", ["un-charter-art-2-4"]),
    ("Articles 2(3) and 2(4) of the Charter", "", ["un-charter-art-2-3", "un-charter-art-2-4"]),
    ("the Charter's Article 2(4)", "", ["un-charter-art-2-4"]),
    ("a right of self-defence", "", ["un-charter-art-51"]),
    ("a right of self-defense", "", ["un-charter-art-51"]),
    ("a right of self defence", "", ["un-charter-art-51"]),
    ("Resolution 3314 defines aggression", "", ["unga-res-3314"]),
    ("UNGA Resolution 3314 (XXIX)", "", ["unga-res-3314"]),
    ("the Friendly Relations Declaration (UNGA 2625)", "", ["unga-res-2625"]),
    ("A/RES/2625 says so", "", ["unga-res-2625"]),
    ("General Comment No. 36 on Article 6 of the ICCPR", "", ["ccpr-gc-36", "iccpr-art-6"]),
    ("General Comment 36", "", ["ccpr-gc-36"]),
    ("the prohibition on the use of force", "", ["un-charter-art-2-4"]),
    ("crimes against humanity", "", ["rome-statute-art-7"]),
    ("extrajudicial killings", "", ["right-to-life"]),
    ("without Security Council authorization", "", ["un-charter-chapter-vii"]),
    ("without Security Council authorisation", "", ["un-charter-chapter-vii"]),
    ("the threat or use of force against any state", "", ["un-charter-art-2-4"]),
    ("an act of aggression", "", ["prohibition-of-aggression"]),
    ("drug trafficking does not carry a death sentence", "", []),
    ("it is a matter of international law", "", []),
    ("Article 5 of the club's rules", "", []),
]


@pytest.fixture(scope="module")
def citations(corpus):
    return Citations(corpus, lexicon())


@pytest.mark.parametrize(("text", "context", "norms"), CASES, ids=[c[0] for c in CASES])
def test_finds_the_norms_cited(citations, text, context, norms):
    assert [c.norm for c in citations.find(text, context) if c.norm] == norms


@pytest.mark.parametrize(("text", "proposed", "notation"), [
    ("Article 110 of UNCLOS", "unclos-art-110", "UNCLOS Art. 110"),
    ("Article 3(g) of Resolution 3314", "unga-res-3314-art-3-g", "UNGA Res. 3314 (XXIX) Art. 3(g)"),
    ("Security Council resolution 2417 (2018)", "unsc-res-2417", "UNSC Res. 2417"),
    ("General Assembly resolution 377 (V)", "unga-res-377", "UNGA Res. 377 (V)"),
])
def test_a_citation_the_catalogue_lacks_is_proposed_in_its_style(citations, text, proposed, notation):
    (found,) = citations.find(text)
    assert found.norm is None
    fields = dict(found.proposed)
    assert (fields["id"], fields["notation"]) == (proposed, notation)


def test_an_instrument_cited_with_its_provision_is_not_invoked_itself(citations):
    found = citations.find("a clear violation of Article 2(4) of the UN Charter")
    assert [c.norm for c in found] == ["un-charter-art-2-4"]
    assert "Article 2(4) of the UN Charter" in found[0].how
