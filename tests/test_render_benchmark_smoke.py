"""``benchmarks/render.py --small`` runs end to end and its numbers hang together (never how fast).

It writes the seed corpus's page and a small synthetic corpus's page with ``kg render`` and opens
both in Debian's headless Chromium; the test reads the JSON it writes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "benchmarks" / "render.py"


def test_small_render_benchmark_measures_both_pages(tmp_path):
    out = tmp_path / "r.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--small", "--json", str(out), "--workdir", str(tmp_path / "work")],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,  # a guard against a hang, not a target
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text("utf-8"))
    assert json.loads(done.stdout) == report
    baseline, measured = report["baseline"], report["measured"]
    assert (tmp_path / "work" / "corpus-50" / "documents").is_dir()
    for row in (baseline, measured):
        assert row["render_s"] > 0 and row["page_mb"] > 0
        assert 0 < row["drawn_s"] <= row["usable_s"] and 0 < row["filter_s"] <= row["usable_s"]
        assert row["nodes_drawn"] > 0 and row["status"].startswith("Showing")
        assert row["filtered_status"].startswith("Showing") and row["filtered_status"] != row["status"]
    for key, ratio in report["ratio_to_baseline"].items():
        assert ratio == round(measured[key] / baseline[key], 2)
    assert report["usable_within_target"] == (measured["usable_s"] <= report["target_usable_s"])
