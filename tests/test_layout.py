"""The folder tree tells the architecture, and stays true: each stage imports only those before it.

Data flows one way, corpus → graph → sparql → argument → views → cli, and the imports run the
other way: a stage may import the stages before it and the shared modules at the top of ``kg/``,
never one after it. Every module is read with ``ast``, imports inside functions and under
``TYPE_CHECKING`` included, so that a lazy import cannot hide a dependency that runs backwards.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from .conftest import REPO

KG = REPO / "kg"
# Each stage and what it may import besides itself and the shared modules.
STAGES = {
    "corpus": set(),
    "graph": {"corpus"},
    "sparql": {"corpus", "graph"},
    "argument": {"corpus", "graph", "sparql"},
    "views": {"corpus", "graph", "sparql", "argument"},
    "synth": {"corpus"},  # writes corpora; never leans on the stages that read them
    "suggest": {"corpus"},  # drafts annotations from a corpus's texts and catalogues
}
# The modules at the top of kg/, shared by every stage: they import none of the stages.
SHARED = {"errors", "limits", "progress", "resources", "workers"}
CLI = {"cli", "cli_progress"}  # cli may import anything; cli_progress only the shared modules


def part_of(module: str) -> str:
    """The stage, shared module or CLI module that ``kg.x.y`` belongs to; "kg" for kg/__init__."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "kg"


def module_name(path: Path, root: Path = REPO) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, root: Path = REPO) -> list[tuple[int, str]]:
    """(line, module) of every ``kg`` module the file imports, anywhere in it.

    ``from kg import limits`` (or ``from .. import limits``) imports the module ``kg.limits``;
    ``from kg import __version__`` imports from ``kg`` itself.
    """
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.split(".")[0] == "kg"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] != "kg":
                continue
            for alias in node.names:
                candidate = f"{source}.{alias.name}"
                where = root.joinpath(*candidate.split("."))
                is_module = where.with_suffix(".py").is_file() or where.is_dir()
                found.append((node.lineno, candidate if is_module else source))
    return found


def allowed(importer: str, target: str) -> bool:
    """Whether a module of ``importer`` (a stage, shared or CLI module) may import ``target``."""
    if target in ("kg", importer) or importer == "cli":
        return True
    if importer in SHARED or importer == "cli_progress":
        return target in SHARED
    return target in SHARED or target in STAGES[importer]


MODULES = sorted(KG.rglob("*.py"))


def test_every_module_belongs_to_a_stage_or_is_shared():
    """A new module at the top of kg/ is a decision: file it under a stage, or add it to SHARED."""
    tops = {part_of(module_name(path)) for path in MODULES}
    assert tops == {"kg"} | set(STAGES) | SHARED | CLI


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(REPO)))
def test_imports_run_one_way(path):
    importer = part_of(module_name(path))
    backwards = [f"{path.relative_to(REPO)}:{line}: imports {target}"
                 for line, target in imported(path) if not allowed(importer, part_of(target))]
    assert backwards == []


def test_the_check_sees_lazy_and_relative_imports(tmp_path):
    """The reader of imports is itself checked: one inside a function, or relative, counts."""
    for name in ("graph/builder.py", "sparql/query.py", "limits.py", "__init__.py"):
        (tmp_path / "kg" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "kg" / name).write_text("")
    (tmp_path / "kg" / "graph" / "builder.py").write_text(
        "import kg.errors\n\ndef f():\n    from ..sparql.query import run_query\n"
        "    from .. import __version__, limits, sparql\n")
    found = imported(tmp_path / "kg" / "graph" / "builder.py", tmp_path)
    assert found == [(1, "kg.errors"), (4, "kg.sparql.query"), (5, "kg"), (5, "kg.limits"), (5, "kg.sparql")]
    assert [allowed("graph", part_of(target)) for _, target in found] == [True, False, True, True, False]


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_each_stage_says_what_it_owns_and_may_import(stage):
    """The docstring of each stage's __init__ names the stages it may import, as STAGES does; the
    package holds nothing else, so importing one of its modules does not load the whole stage."""
    tree = ast.parse((KG / stage / "__init__.py").read_text(encoding="utf-8"))
    docstring = ast.get_docstring(tree)
    assert docstring and len(tree.body) == 1
    rule = re.search(r"^May import: (.+?)(?:\n\n|\Z)", docstring, re.MULTILINE | re.DOTALL)
    assert rule, f"kg/{stage}/__init__.py does not say what it may import"
    assert set(re.findall(r"\bkg\.(\w+)", rule.group(1))) - SHARED == STAGES[stage]


def test_the_readme_draws_the_same_flow():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How the code is laid out", 1)[1].split("\n## ", 1)[0]
    for name in [*(f"{stage}/" for stage in STAGES), *(f"{module}.py" for module in sorted(SHARED | CLI))]:
        assert name in section
    assert "corpus ← graph ← sparql ← argument ← views ← cli" in section
