/* The script of the page `kg scheme -f html` writes: a control per element, labels recomputed.
 *
 * The table and the claims are in the page as HTML (escaped by the template); the toggle model
 * travels in the JSON block #ilkg-data. Each element's control (window.ilkgAssumptions, shared
 * with the page of `kg render`) sets the element to open, holds or fails; every change recomputes
 * the grounded labels of all the claims and writes them with textContent and a class.
 */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("ilkg-data").textContent);
  const model = data.model;
  const toggles = window.ilkgAssumptions;
  const assumed = document.getElementById("assumed");
  const first = toggles.labels(model, {});

  function show(values) {
    const labels = toggles.labels(model, values);
    for (const item of document.querySelectorAll("[data-claim]")) {
      const label = labels[item.dataset.claim] || "";
      const badge = item.matches(".ref") ? item : item.querySelector(".label");
      badge.classList.remove("in", "out", "undec", "changed");
      if (label) badge.classList.add(label);
      if (label !== first[item.dataset.claim]) badge.classList.add("changed");
      if (!item.matches(".ref")) badge.textContent = label || "—";
    }
    const changed = Object.keys(labels).filter((claim) => labels[claim] !== first[claim]).length;
    assumed.textContent = `Assumed: ${toggles.describe(model, values)}.` +
      (changed ? ` ${changed} claim${changed === 1 ? "" : "s"} changed label.` : "");
    document.body.dataset.labels = JSON.stringify(labels);
  }

  for (const slot of document.querySelectorAll(".control")) {
    slot.replaceWith(toggles.control(model, slot.dataset.element, show));
  }
  document.getElementById("reset").addEventListener("click", () => {
    toggles.reset();
    show({});
  });
  show({});
  document.body.dataset.ready = "true";
  window.ilkg = { model, show };
})();
