"""What the self-contained pages share: packaged assets, data for their scripts, their policy.

The pages of ``kg render`` and ``kg scheme -f html`` are one HTML file each that a student opens
offline. Their scripts and styles are inlined from the package (``render_assets/``,
``scheme_assets/``, ``shared_assets/``); data from the corpus reaches a script only as JSON in a
``<script type="application/json">`` block, escaped so that no string can close the block
(:func:`script_json`); and a Content-Security-Policy lets only the page's own scripts run, by
their SHA-256, and forbids every request (:func:`csp`). Everything else a page shows from the
data is escaped by Jinja (autoescaping on) or set with ``textContent`` by the scripts.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

from ..errors import SetupError
from ..resources import packaged

# What JSON may contain but a <script> block may not: the tag's end, comments, line separators
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                   ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_json(value) -> str:
    """``value`` as JSON that can sit inside a ``<script>`` element whatever its strings hold."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    for character, escape in _SCRIPT_ESCAPES:  # str.replace: ten times faster than translate here
        text = text.replace(character, escape)
    return text


def asset(folder: str, name: str) -> str:
    """One of our packaged files, ``kg/views/<folder>/<name>``, ready to inline."""
    return read_asset(packaged("views", folder, name), name)


def read_asset(resource, what: str) -> str:
    """The text of a file to inline, with the line ends the HTML parser will see (the CSP hashes
    are of that text); a script or style sheet that could end its element early is refused."""
    try:
        text = resource.read_text(encoding="utf-8")
    except (OSError, ModuleNotFoundError) as exc:
        raise SetupError(f"cannot read {what}: {exc}; reinstall ilkg with `pip install -e .`") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not what.endswith(".html") and re.search(r"</(script|style)|<!--", text, re.IGNORECASE):
        raise SetupError(f"{what} contains '</script', '</style' or '<!--' and cannot be inlined")
    return text


def csp(scripts: list[str]) -> str:
    """Only our scripts may run, by their hashes; nothing may be fetched (styles inline, images data:)."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'"
                      for s in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def template_environment():
    """Jinja with autoescaping on and undefined names an error: every value from the data escaped."""
    from jinja2 import Environment, StrictUndefined

    return Environment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
