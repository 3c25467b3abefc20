"""The record of the second reading (docs/second-reading/): the blind files are those checksummed,
and agreement.py runs from the checkout and measures what the files say."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import CORPUS, REPO

READING = REPO / "docs" / "second-reading"
SCRIPT = READING / "agreement.py"


def run_agreement(*args: str) -> str:
    """The agreement tables the script prints, run as AGREEMENT.md says: from the repository root."""
    done = subprocess.run([sys.executable, str(SCRIPT.relative_to(REPO)), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def reader2_claims() -> dict[str, dict]:
    claims = {}
    for path in sorted(READING.glob("reader2-*.yaml")):
        claims.update({c["id"]: c for c in yaml.safe_load(path.read_text(encoding="utf-8"))["claims"]})
    return claims


def annotated_claims(annotations: Path, documents: list[str]) -> dict[str, dict]:
    claims = {}
    for document in documents:
        data = yaml.safe_load((annotations / f"{document}.yaml").read_text(encoding="utf-8"))
        claims.update({c["id"]: c for c in data["claims"]})
    return claims


def documents_read() -> list[str]:
    return sorted(p.name.removeprefix("reader2-").removesuffix(".yaml")
                  for p in READING.glob("reader2-*.yaml"))


def claimant_row(table: str) -> tuple[int, int, str]:
    """(agreeing, compared, kappa) of the claimant row of the printed table."""
    match = re.search(r"^\| claimant \| [0-9.]+ \((\d+)/(\d+)\) \| ([0-9.]+|n/a) \|", table, re.MULTILINE)
    assert match, table
    return int(match[1]), int(match[2]), match[3]


def test_the_blind_readings_are_the_files_checksummed():
    lines = [line.split() for line in (READING / "reader2.sha256").read_text().splitlines()]
    sums = {name: digest for digest, name, *_ in (line for line in lines if len(line) == 2)}
    assert set(sums) == {p.name for p in READING.glob("reader2-*.yaml")} and len(sums) == 5
    for name, digest in sums.items():
        assert hashlib.sha256((READING / name).read_bytes()).hexdigest() == digest, name


def test_agreement_aligns_every_second_reading_claim_with_an_annotation():
    documents = documents_read()
    mine = reader2_claims()
    theirs = annotated_claims(CORPUS / "annotations", documents)
    assert set(mine) <= set(theirs), sorted(set(mine) - set(theirs))
    table = run_agreement()
    assert table.startswith(f"Claims compared: {len(mine)} (only in reader 2: 0; only in the annotations: "
                            f"{len(set(theirs) - set(mine))}).")
    agreeing, compared, _ = claimant_row(table)
    assert compared == len(mine)
    assert agreeing == sum(mine[i]["claimant"] == theirs[i]["claimant"] for i in mine)


def test_claimant_kappa_is_measured_on_the_annotations_given(tmp_path):
    """Give one claim another claimant: the agreement falls by one and kappa below 1."""
    annotations = tmp_path / "annotations"
    shutil.copytree(CORPUS / "annotations", annotations)
    before = claimant_row(run_agreement("--annotations", str(annotations)))
    path = annotations / "sg-alarmed-2026-01-03.yaml"
    text = path.read_text(encoding="utf-8")
    claimants = re.findall(r"^    claimant: (\S+)$", text, re.MULTILINE)
    assert claimants, "the wire report's claims name their claimants"
    other = "CUB" if claimants[0] != "CUB" else "RUS"
    path.write_text(text.replace(f"    claimant: {claimants[0]}\n", f"    claimant: {other}\n", 1),
                    encoding="utf-8")
    after = claimant_row(run_agreement("--annotations", str(annotations)))
    assert after[1] == before[1] and after[0] == before[0] - 1
    assert "n/a" not in (before[2], after[2]) and float(after[2]) < float(before[2])


def test_agreement_writes_the_files_it_is_asked_for(tmp_path):
    out, propositions = tmp_path / "table.md", tmp_path / "propositions.md"
    assert run_agreement("--out", str(out), "--propositions", str(propositions)) == ""
    assert out.read_text(encoding="utf-8").startswith("Claims compared:")
    ids = re.findall(r"^## (\S+)$", propositions.read_text(encoding="utf-8"), re.MULTILINE)
    assert sorted(ids) == sorted(reader2_claims())
