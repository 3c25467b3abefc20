"""Where the packaged resources are: the ontology folder, the saved queries, the pages' assets.

Files shipped inside the package (``kg/sparql/queries/``, ``kg/views/render_assets/``,
``kg/sparql/web/``) are found by :func:`packaged`, through ``importlib.resources``. The ontology
lives at the top of the repository (``ontology/``) so that scholars find it; wheels carry a copy
inside the package (see ``pyproject.toml``). :func:`ontology_dir` is the one function that knows
both places, so no module builds paths from ``__file__``.
"""

from __future__ import annotations

import os
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import SetupError

ONTOLOGY_FILES = ("ilkg.ttl", "shapes.ttl", "norms.yaml")


def packaged(*parts: str) -> Traversable:
    """A file or folder shipped in the package, by its path below ``kg/``: ``packaged("sparql",
    "queries")`` is the folder of saved queries wherever (and however) ilkg is installed."""
    found = files("kg")
    for part in parts:
        found = found / part
    return found


def ontology_dir() -> Path:
    """The folder holding ilkg.ttl, shapes.ttl and norms.yaml."""
    in_wheel = Path(str(packaged("ontology")))
    source_tree = Path(str(packaged())).parent / "ontology"
    for candidate in (in_wheel, source_tree):
        if all((candidate / name).is_file() for name in ONTOLOGY_FILES):
            return candidate
    raise SetupError(
        "cannot find the ontology files (ilkg.ttl, shapes.ttl, norms.yaml); reinstall ilkg "
        "with `pip install -e .` from a complete checkout"
    )


# What to do when yasgui_dir() finds nothing: the editor page, the 404 for its files and `kg serve`
# say it in these words. Building the graph never needs Node; only the editor page does.
YASGUI_MISSING = ("Yasgui is not installed: run `make editor` (or `npm ci`) at the top of the ilkg "
                  "checkout, then restart `kg serve`")


def yasgui_dir() -> Path | None:
    """The built Yasgui files (``yasgui.min.js``/``.css``) from the npm package, if installed.

    ``make editor`` (and ``make test``) run ``npm ci`` at the top of the checkout, so they are in
    ``node_modules/@zazuko/yasgui/build``; ``ILKG_YASGUI_DIR`` points elsewhere.
    """
    candidates = [Path(os.environ["ILKG_YASGUI_DIR"])] if os.environ.get("ILKG_YASGUI_DIR") else []
    candidates.append(Path(str(packaged())).parent / "node_modules" / "@zazuko" / "yasgui" / "build")
    for candidate in candidates:
        if (candidate / "yasgui.min.js").is_file():
            return candidate
    return None
