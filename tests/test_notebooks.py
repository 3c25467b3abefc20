"""The notebooks run from top to bottom, as a reader would run them, so they never rot.

Each notebook is executed with nbclient in a kernel of the Python running the tests (whatever
kernel specs the machine has installed: a user's ``python3`` kernel may belong to another
environment without ``kg``), in the notebooks' own folder, as Jupyter runs them. A committed
notebook carries no outputs: outputs are the reader's, and they would make every diff noisy.
"""

from __future__ import annotations

import time

import nbformat
import pytest
from ipykernel.kernelspec import RESOURCES, get_kernel_dict
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from .conftest import REPO

NOTEBOOKS = REPO / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
CELL_TIMEOUT_S = 300
BUDGET_S = 60  # a reader should not wait longer for a notebook


class ThisPython(KernelSpecManager):
    """Every kernel name means an IPython kernel of ``sys.executable``."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return KernelSpec(resource_dir=RESOURCES, **get_kernel_dict())


def test_there_are_notebooks():
    assert [p.name for p in PATHS] == ["01-explore.ipynb", "02-sparql.ipynb"]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_committed_notebook_is_valid_and_has_no_outputs(path):
    notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            hint = "clear them (JupyterLab: Edit → Clear Outputs of All Cells) and save"
            assert cell.outputs == [], f"{path.name}: cell {cell.id} has outputs; {hint}"
            assert cell.execution_count is None, f"{path.name}: cell {cell.id} has an execution count; {hint}"
    assert notebook.metadata.kernelspec.name == "python3"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_notebook_runs(path):
    before = sorted(p.name for p in NOTEBOOKS.iterdir())
    notebook = nbformat.read(path, as_version=4)
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=ThisPython())
    client = NotebookClient(notebook, km=manager, timeout=CELL_TIMEOUT_S,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    started = time.monotonic()
    client.execute()  # raises CellExecutionError, with the cell and the traceback, on any error
    elapsed = time.monotonic() - started
    errors = [o for cell in notebook.cells for o in cell.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    assert sorted(p.name for p in NOTEBOOKS.iterdir()) == before, "a notebook wrote into notebooks/"
    assert elapsed < BUDGET_S, f"{path.name} took {elapsed:.0f} s"
