"""Fixtures of the views' browser tests: a watched page, and where a vis-network node is drawn."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from click.testing import CliRunner

from kg.cli import cli

from ..conftest import CORPUS


@dataclass
class Watched:
    """A page in a fresh browser context, with everything it did that it must not do: requests it
    was not allowed to make (blocked), console errors and uncaught exceptions, dialogs opened."""

    page: object
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)


@contextlib.contextmanager
def watched(browser, seen: Callable[[object], Watched], *, allowed: Callable[[str], bool],
            init_script: str, timeout_ms: float, forward: Callable[[object], None] | None = None):
    """A page made by ``seen(page)`` in a new context of ``browser``: requests to URLs ``allowed``
    refuses are aborted and recorded, the others go on (through ``forward`` if given);
    ``init_script`` runs before the page's own scripts. The context closes on leaving."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, service_workers="block")
    page = context.new_page()
    watch = seen(page)

    def route(handled):
        if not allowed(handled.request.url):
            watch.outside.append(handled.request.url)
            handled.abort()
        elif forward is not None:
            forward(handled)
        else:
            handled.continue_()

    def dialog(opened):
        watch.dialogs.append(f"{opened.type}: {opened.message}")
        opened.dismiss()

    context.route("**/*", route)
    context.add_init_script(init_script)
    page.on("console", lambda message: message.type == "error" and watch.errors.append(message.text))
    page.on("pageerror", lambda error: watch.errors.append(f"uncaught: {error}"))
    page.on("dialog", dialog)
    page.set_default_timeout(timeout_ms)
    try:
        yield watch
    finally:
        context.close()


# Where a vis-network node is drawn, in page coordinates, after centring the view on it, and the
# node the network finds at that point (for the rendered pages' browser tests).
CENTRE_ON = """([id, scale]) => {
  const network = window.ilkg.network;
  network.moveTo({ position: network.getPosition(id), scale, animation: false });
  network.redraw();
  const box = document.querySelector("#network canvas").getBoundingClientRect();
  const point = network.canvasToDOM(network.getPosition(id));
  return { x: box.left + point.x, y: box.top + point.y, top: network.getNodeAt(point) };
}"""


def kg_map_labels(choice: dict[str, str], *scope: str) -> dict[str, str]:
    """Each claim's label as ``kg map --assume ELEMENT=VALUE ... -f json`` prints it for the bundled
    corpus (in ``scope``, options as on the command line): what a page's toggles must show."""
    assume = [argument for element, value in sorted(choice.items())
              for argument in ("--assume", f"{element}={value}")]
    result = CliRunner().invoke(cli, ["map", "--corpus", str(CORPUS), "-f", "json", *assume, *scope],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return {claim["claim"]: claim["acceptance"] for claim in json.loads(result.stdout)["claims"]}
