"""Where the packaged resources are: the ontology folder and the saved queries.

The ontology lives at the top of the repository (``ontology/``) so that scholars find it; wheels
carry a copy inside the package (see ``pyproject.toml``). This is the one function that knows both
places, so no other module builds paths from ``__file__``.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from .errors import SetupError

ONTOLOGY_FILES = ("ilkg.ttl", "shapes.ttl", "norms.yaml")


def ontology_dir() -> Path:
    """The folder holding ilkg.ttl, shapes.ttl and norms.yaml."""
    packaged = Path(str(files("kg") / "ontology"))
    source_tree = Path(str(files("kg"))).parent / "ontology"
    for candidate in (packaged, source_tree):
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
    candidates.append(Path(str(files("kg"))).parent / "node_modules" / "@zazuko" / "yasgui" / "build")
    for candidate in candidates:
        if (candidate / "yasgui.min.js").is_file():
            return candidate
    return None
