/* What if an element of a legal test holds, or fails? The labels of the claims, recomputed in the page.
 *
 * Shared by the pages of `kg scheme -f html` and `kg render` (each inlines this file once, beside
 * its own script). A page carries the structured reading of its claims as a toggle model
 * (kg.argument.toggles.toggle_model): the compiled argument framework with every assumption an
 * element can take ("holds", "fails") present but inactive. Choosing a value for an element makes
 * that assumption's argument active; nothing else changes, so the grounded labelling of the active
 * arguments is exactly the labelling `kg map --assume ELEMENT=VALUE` prints (the tests compare them):
 *
 *   1. an argument is active unless it is an assumption ("holds"/"fails") not chosen; a defeat
 *      counts when both its ends are active;
 *   2. grounded labelling: repeatedly label "in" every active argument whose active attackers are
 *      all "out" (at first those with none) and "out" every argument an "in" one defeats, until
 *      nothing changes; the rest are "undec";
 *   3. a claim's label is its argument's.
 *
 * Controls are built with the DOM API; no text from the data is ever parsed as HTML.
 */
(function () {
  "use strict";

  const ASSUMED = new Set(["holds", "fails"]);
  const CHOICES = [
    ["", "open: as the claims argue it"],
    ["holds", "holds: assume it is met"],
    ["fails", "fails: assume it is not met"],
  ];

  function labels(model, chosen) {
    const args = model.arguments;
    const active = args.map((a) => !ASSUMED.has(a.kind) || chosen[a.element] === a.kind);
    const attackers = args.map(() => []);
    const targets = args.map(() => []);
    for (const [a, b] of model.defeats) {
      if (active[a] && active[b]) {
        attackers[b].push(a);
        targets[a].push(b);
      }
    }
    const label = args.map(() => "undec");
    let changed = true;
    while (changed) {
      changed = false;
      for (let i = 0; i < args.length; i += 1) {
        if (active[i] && label[i] === "undec" && attackers[i].every((a) => label[a] === "out")) {
          label[i] = "in";
          changed = true;
          for (const t of targets[i]) label[t] = "out";
        }
      }
    }
    const found = {};
    for (const [claim, index] of Object.entries(model.claims)) found[claim] = label[index];
    return found;
  }

  // The elements the claims of the model take a position on or assume, in id order.
  function atStake(model) {
    const found = new Set();
    for (const a of model.arguments) {
      if (a.element && !ASSUMED.has(a.kind)) found.add(a.element);
    }
    return [...found].filter((e) => e in model.elements).sort();
  }

  // A <select> for one element: open, holds, fails. `onChange` gets every chosen value.
  function control(model, element, onChange) {
    const select = document.createElement("select");
    select.className = "assumption";
    select.dataset.element = element;
    select.setAttribute("aria-label", `Assume: ${model.elements[element].label}`);
    for (const [value, text] of CHOICES) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = text;
      select.appendChild(option);
    }
    select.addEventListener("change", () => onChange(chosen()));
    return select;
  }

  // Every element's chosen value, from the page's controls: {element: "holds" | "fails"}.
  function chosen() {
    const found = {};
    for (const select of document.querySelectorAll("select.assumption")) {
      if (select.value) found[select.dataset.element] = select.value;
    }
    return found;
  }

  // Make every control "open" again.
  function reset() {
    for (const select of document.querySelectorAll("select.assumption")) select.value = "";
  }

  // "Armed attack: holds; Necessity: fails", or "none".
  function describe(model, values) {
    const parts = Object.keys(values).sort().map((e) => `${model.elements[e].label}: ${values[e]}`);
    return parts.length ? parts.join("; ") : "none";
  }

  window.ilkgAssumptions = { labels, atStake, control, chosen, reset, describe };
})();
