"""kg synth: a synthetic corpus that validates, is reproducible to the byte, looks like the real one,
and never writes over anything."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from kg.cli import cli
from kg.corpus import located_yaml
from kg.corpus.loader import load_corpus
from kg.corpus.relations import attack_kinds
from kg.errors import KgError, OutputError, SetupError
from kg.graph.pipeline import validate
from kg.synth import text as synth_text
from kg.synth.generate import MAX_DOCUMENTS, generate, scalar

DOCUMENTS, SEED = 30, 4  # validated with SHACL
WIDE = 200  # loaded and checked only: enough documents for every kind of document and claim


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` by relative path, with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth") / "corpus"
    summary = generate(folder, DOCUMENTS, seed=SEED)
    return folder, summary


@pytest.fixture(scope="module")
def wide(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth") / "wide"
    summary = generate(folder, WIDE, seed=SEED)
    return folder, summary, load_corpus(folder)


@pytest.fixture(scope="module")
def loaded(wide):
    return wide[2]


def test_a_small_corpus_passes_validate(small):
    folder, summary = small
    report = validate(folder, jobs=1)
    assert report.stats.documents == summary.documents == DOCUMENTS
    assert report.stats.claims == summary.claims
    assert report.stats.attacks == summary.attacks and report.stats.supports == summary.supports
    assert (report.stats.rebuttals, report.stats.undercuts, report.stats.undermines) == (
        summary.rebuttals, summary.undercuts, summary.undermines)
    assert report.stats.quotes == summary.quotes


def test_the_summary_counts_what_was_written(wide, loaded):
    folder, summary, _ = wide
    assert len(list((folder / "documents").glob("*.txt"))) == WIDE
    assert len(list((folder / "annotations").glob("*.yaml"))) == WIDE
    assert (summary.actors, summary.events) == (len(loaded.actors), len(loaded.events))
    assert summary.actors >= 50 and summary.events >= 30
    assert summary.claims == len(loaded.claims)
    assert summary.quotes == sum(len(c.evidence) for c in loaded.claims.values())
    kinds = attack_kinds(loaded.claims)
    assert summary.attacks == len(kinds)
    assert summary.rebuttals == len({frozenset(pair) for pair, found in kinds.items() if "rebuts" in found})
    assert summary.undercuts == sum(len(c.undercuts) for c in loaded.claims.values())
    assert summary.undermines == sum(len(c.undermines) for c in loaded.claims.values())
    assert summary.supports == sum(len(c.supports) for c in loaded.claims.values())


def answers(claim) -> tuple[str, ...]:
    """The claims ``claim`` attacks, of any kind, as annotated."""
    return (*claim.rebuts, *claim.undercuts, *claim.undermines, *claim.attacks)


def test_claims_carry_the_argument_layer(loaded):
    """Propositions, legal tests with element positions, and every kind of attack, as the guide
    has annotators write them, so that benchmarks and evaluations see the structure."""
    claims = loaded.claims
    assert all(c.proposition.get("en", "").endswith(".") for c in claims.values())
    assert len({c.proposition["en"] for c in claims.values()}) > len(claims) / 2
    applying = [c for c in claims.values() if c.schemes]
    assert len(applying) >= WIDE and {c.stance for c in applying} == {"alleges-violation", "justifies"}
    assert len({s for c in applying for s in c.schemes}) >= 3
    assert sum(bool(c.affirms) for c in claims.values()) >= WIDE / 2
    kinds = ("rebuts", "undercuts", "undermines", "attacks")
    counts = Counter(kind for c in claims.values() for kind in kinds for _ in getattr(c, kind))
    assert all(counts[kind] >= 10 for kind in kinds), counts
    assert counts["attacks"] < min(counts["rebuts"], counts["undercuts"])  # plain attacks are the few
    for claim in claims.values():
        assert not set(claim.affirms) & set(claim.denies), claim.id
        for target in claim.undercuts:  # the loader checks this too: here, that synth means it
            denied_tests = {e.partition("/")[0] for e in claim.denies}
            assert denied_tests & set(claims[target].schemes), (claim.id, target)


def test_the_same_seed_gives_the_same_bytes(small, tmp_path):
    generate(tmp_path / "again", DOCUMENTS, seed=SEED)
    assert tree(tmp_path / "again") == tree(small[0])


def test_the_same_seed_gives_the_same_bytes_in_other_processes(small, tmp_path):
    """Other interpreters with other hash seeds: nothing may depend on set or dict hashing."""
    code = ("import sys; from kg.synth.generate import generate; "
            "generate(sys.argv[1], int(sys.argv[2]), seed=int(sys.argv[3]))")
    for hash_seed in ("1", "2"):
        target = tmp_path / f"hash-{hash_seed}"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", code, str(target), str(DOCUMENTS), str(SEED)], env=env,
                       check=True, capture_output=True)
        assert tree(target) == tree(small[0])


def test_another_seed_gives_another_corpus(small, tmp_path):
    generate(tmp_path / "other", DOCUMENTS, seed=SEED + 1)
    ours, theirs = tree(small[0]), tree(tmp_path / "other")
    texts = {k: v for k, v in ours.items() if k.endswith(".txt")}
    other_texts = {k: v for k, v in theirs.items() if k.endswith(".txt")}
    assert set(texts.values()).isdisjoint(other_texts.values())
    assert ours["catalogues/events.yaml"] != theirs["catalogues/events.yaml"]


def test_norms_are_skewed_like_citations(loaded):
    counts = Counter(norm for claim in loaded.claims.values() for norm in claim.invokes)
    every = [counts.get(norm, 0) for norm in loaded.norms]
    top_norm, top = counts.most_common(1)[0]
    assert top_norm == "un-charter-art-2-4"
    assert top >= 5 * max(statistics.median(every), 1)
    assert "un-charter-art-51" in dict(counts.most_common(4))
    assert len(counts) >= len(loaded.norms) // 2  # and a long tail is cited too


def test_claims_per_document_vary_around_ten(loaded):
    per_document = Counter(claim.document for claim in loaded.claims.values())
    assert len(per_document) == WIDE
    assert 3 <= min(per_document.values()) < max(per_document.values()) <= 25
    assert 7 <= statistics.mean(per_document.values()) <= 13


def test_denials_and_rejections_answer_earlier_claims_often_in_other_documents(loaded):
    claims, documents = loaded.claims, loaded.documents
    crossing = 0
    for claim in claims.values():
        for target in answers(claim) + claim.supports:  # an answer never predates what it answers
            said, answered = documents[claim.document].date.text, documents[claims[target].document].date.text
            precision = min(len(said), len(answered))
            assert answered[:precision] <= said[:precision], (claim.id, target)
        if claim.stance in ("denies-allegation", "rejects-justification"):
            assert answers(claim), claim.id
            wanted = "alleges-violation" if claim.stance == "denies-allegation" else "justifies"
            for target in answers(claim):
                assert claims[target].stance == wanted, claim.id
                assert claims[target].claimant in claim.against, claim.id
                if claim.stance == "denies-allegation":
                    assert claim.claimant in claims[target].against, claim.id
        crossing += sum(claims[t].document != claim.document for t in answers(claim) + claim.supports)
    assert crossing >= WIDE
    related = {c.id for c in claims.values() if answers(c) or c.supports}
    related |= {t for c in claims.values() for t in answers(c) + c.supports}
    assert 0.3 <= len(related) / len(claims) <= 0.65


def test_claims_look_like_real_annotations(wide, loaded):
    claims = list(loaded.claims.values())
    documents = loaded.documents
    assert all(c.claimant not in c.against for c in claims)
    assert sum(c.voiced_by is not None for c in claims) >= WIDE
    assert sum(bool(c.reported_by) for c in claims) >= 20
    assert sum(len(c.evidence) > 1 for c in claims) >= WIDE
    assert sum(c.note is not None for c in claims) >= 20
    assert Counter(c.stance for c in claims).keys() == {
        "alleges-violation", "justifies", "rejects-justification", "demands-compliance",
        "denies-allegation", "affirms-norm"}
    # Reported claims carry their own, earlier date; dates never follow the document.
    assert any(c.date.text < documents[c.document].date.text for c in claims)
    assert all(c.date.text[:len(documents[c.document].date.text)] <= documents[c.document].date.text
               for c in claims)
    assert {d.language for d in documents.values()} == {"en", "es"}
    assert len({d.genre for d in documents.values()}) >= 4
    assert all("2025" <= d.date.text < "2027" for d in documents.values())
    assert any(d.pieces for d in documents.values())
    # Texts are set with curly quotes; annotators' straight ones are found in them.
    assert any("’" in d.text or "“" in d.text for d in documents.values())
    # Quotes sit in text of their own: quoted passages are a part of each text, not all of it.
    quoted = sum(span.end - span.start for c in claims for span in c.evidence)
    assert 0.2 < quoted / sum(len(d.text) for d in documents.values()) < 0.7
    raw = "\n".join(p.read_text("utf-8") for p in (wide[0] / "annotations").glob("*.yaml"))
    assert "prefix:" in raw and "'" in raw


def test_every_yaml_file_reads_the_same_with_pyyaml_and_the_corpus_loader(small):
    for path in sorted(small[0].rglob("*.yaml")):
        text = path.read_text("utf-8")
        data, problems = located_yaml.load(text, str(path))
        assert problems == []
        assert yaml.safe_load(text) == data, path


@pytest.mark.parametrize("value", [
    "un-charter-art-2-4", "USA", "yes", "NO", "on", "null", "2026-01-03", "12", "a: b", "# not a comment",
    "“curly” quotes and ’apostrophes’", 'straight "double" quotes', "back\\slash", "  leading space",
    "tab\there", "ñandú — Bogotá…", "- dash first", "[brackets]", "{braces}", "%percent", "@at", "`tick`",
])
def test_scalars_are_read_back_as_written(value):
    assert yaml.safe_load(f"key: {scalar(value)}")["key"] == value
    data, problems = located_yaml.load(f"key: {scalar(value)}", "x.yaml")
    assert problems == [] and data["key"] == value


def test_progress_is_reported_for_every_document(tmp_path):
    seen: list[int] = []
    generate(tmp_path / "c", 5, seed=1, progress=seen.append)
    assert seen == [1, 2, 3, 4, 5]


def test_an_empty_folder_is_used(tmp_path):
    target = tmp_path / "empty"
    target.mkdir()
    generate(target, 2, seed=1)
    assert len(list((target / "documents").glob("*.txt"))) == 2


def test_a_folder_with_anything_in_it_is_refused_and_left_alone(tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("a scholar's notes", "utf-8")
    with pytest.raises(OutputError, match="is not empty"):
        generate(target, 3, seed=1)
    assert tree(target) == {"notes.txt": b"a scholar's notes"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]  # no working folder left behind


def test_a_file_is_refused(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_text("kept", "utf-8")
    with pytest.raises(OutputError, match="not a folder"):
        generate(target, 3)
    assert target.read_text("utf-8") == "kept"


@pytest.mark.parametrize("documents", [0, -1, MAX_DOCUMENTS + 1, True, "10", 2.5])
def test_bad_numbers_of_documents_are_refused(tmp_path, documents):
    with pytest.raises(SetupError, match="number of documents"):
        generate(tmp_path / "c", documents)
    assert list(tmp_path.iterdir()) == []


def test_a_bad_seed_is_refused(tmp_path):
    with pytest.raises(SetupError, match="seed"):
        generate(tmp_path / "c", 3, seed="seven")


def test_a_failure_midway_leaves_nothing_behind(tmp_path, monkeypatch):
    real, calls = synth_text.compose, []

    def failing(doc, world, rng):
        calls.append(doc.id)
        if len(calls) == 3:
            raise synth_text.WordingError(doc.id)
        return real(doc, world, rng)

    monkeypatch.setattr("kg.synth.generate.compose", failing)
    with pytest.raises(KgError, match="could not word document"):
        generate(tmp_path / "c", 5, seed=1)
    assert list(tmp_path.iterdir()) == []


def test_the_command_writes_a_corpus_and_says_what_it_wrote(tmp_path):
    target = tmp_path / "corpus"
    result = CliRunner().invoke(cli, ["synth", "--documents", "4", "--seed", "9", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {target}: 4 documents, ")
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    assert len(list((target / "documents").glob("*.txt"))) == 4
    assert (target / "catalogues" / "actors.yaml").is_file()
    # The same seed through the library gives the same corpus as through the command.
    generate(tmp_path / "library", 4, seed=9)
    assert tree(tmp_path / "library") == tree(target)


def test_the_command_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.yaml").write_text("x: 1\n", "utf-8")
    result = CliRunner().invoke(cli, ["synth", "--documents", "4", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not empty" in result.stderr and "Traceback" not in result.stderr
    assert tree(tmp_path) == {"keep.yaml": b"x: 1\n"}


def test_a_full_disk_is_one_line_and_exit_2(tmp_path, monkeypatch):
    """Issue 13 item 11: a write failing with ENOSPC was a traceback and exit 1; the README says 2."""
    import errno

    real, written = open, []

    def filling(path, mode="r", *args, **kwargs):
        stream = real(path, mode, *args, **kwargs)
        if "w" in mode:
            written.append(path)
            if len(written) == 6:  # a few files in, as a disk fills up
                stream.close()
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return stream

    monkeypatch.setattr("builtins.open", filling)
    target = tmp_path / "corpus"
    result = CliRunner().invoke(cli, ["synth", "--documents", "4", "-o", str(target)], catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr == (f"kg: cannot write the corpus into '{target}': No space left on device; "
                             "nothing was left behind\n")
    assert list(tmp_path.iterdir()) == []


def test_an_empty_path_or_a_path_under_a_file_is_refused(tmp_path):
    empty = CliRunner().invoke(cli, ["synth", "--documents", "1", "-o", ""], catch_exceptions=False)
    assert empty.exit_code == 2 and "empty output path; give the name of a folder to write" in empty.stderr
    (tmp_path / "afile").write_bytes(b"kept")
    target = tmp_path / "afile" / "corpus"
    under = CliRunner().invoke(cli, ["synth", "--documents", "1", "-o", str(target)], catch_exceptions=False)
    assert under.exit_code == 2
    assert under.stderr == f"kg: cannot write into '{target}': '{target.parent}' is a file, not a folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]
