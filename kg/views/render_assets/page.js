/* The script of the page `kg render` writes: hover cards, details, search and filters.
 *
 * Everything it shows comes from the JSON block #ilkg-data and reaches the page through
 * textContent or as the text of an <option>, never as HTML, so no corpus text can become markup
 * or script. Filters work on a vis.DataView over the full DataSet: the network only draws what
 * the view lets through, and positions are kept in the DataSet so that nodes come back where
 * they were.
 */
(function () {
  "use strict";

  const data = JSON.parse(document.getElementById("ilkg-data").textContent);
  const byId = new Map();
  const neighbours = new Map(); // actor, norm or event id -> the claims it is linked to

  function card(spec) {
    const box = document.createElement("div");
    box.className = "card";
    const title = document.createElement("div");
    title.className = "card-title";
    title.textContent = spec.title;
    box.appendChild(title);
    if (spec.rows && spec.rows.length) {
      const list = document.createElement("dl");
      for (const [name, value] of spec.rows) {
        const term = document.createElement("dt");
        term.textContent = name;
        const description = document.createElement("dd");
        description.textContent = value;
        list.append(term, description);
      }
      box.appendChild(list);
    }
    if (spec.quote) {
      const quote = document.createElement("blockquote");
      quote.className = "quote";
      quote.textContent = spec.quote;
      box.appendChild(quote);
    }
    return box;
  }

  for (const node of data.nodes) {
    node.title = card(node.card);
    node.search = [node.id, node.label, node.card.title].join("\n").toLowerCase();
    byId.set(node.id, node);
  }
  for (const edge of data.edges) {
    edge.title = card({ title: edge.card, rows: [] });
    for (const [one, other] of [[edge.from, edge.to], [edge.to, edge.from]]) {
      if (byId.get(one).kind !== "claim" && byId.get(other).kind === "claim") {
        if (!neighbours.has(one)) neighbours.set(one, []);
        neighbours.get(one).push(other);
      }
    }
  }

  let visible = null; // null: no filter, everything is shown; else the Set of shown node ids
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const nodeView = new vis.DataView(nodes, { filter: (node) => visible === null || visible.has(node.id) });
  const edgeView = new vis.DataView(edges, {
    filter: (edge) => visible === null || (visible.has(edge.from) && visible.has(edge.to)),
  });
  const container = document.getElementById("network");
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);

  const status = document.getElementById("status");
  const searchBox = document.getElementById("search");
  const searchStatus = document.getElementById("search-status");
  const details = document.getElementById("details");
  const controls = {
    actor: document.getElementById("filter-actor"),
    norm: document.getElementById("filter-norm"),
    event: document.getElementById("filter-event"),
    since: document.getElementById("filter-since"),
    until: document.getElementById("filter-until"),
  };

  function plural(count, word) {
    return `${count.toLocaleString("en")} ${word}${count === 1 ? "" : "s"}`;
  }

  function showCount() {
    const shown = nodeView.length;
    const claims = nodeView.get({ filter: (node) => node.kind === "claim" }).length;
    status.textContent = visible === null
      ? `Showing all ${plural(shown, "node")} (${plural(claims, "claim")}).`
      : `Showing ${plural(shown, "node")} of ${nodes.length.toLocaleString("en")} (${plural(claims, "claim")}).`;
  }

  function showDetails(id) {
    details.replaceChildren();
    if (id !== undefined && byId.has(id)) {
      details.appendChild(card(byId.get(id).card));
    } else {
      const hint = document.createElement("p");
      hint.className = "hint";
      hint.textContent = "Click a node to see its details here.";
      details.appendChild(hint);
    }
  }

  function rememberPositions() {
    const positions = network.getPositions();
    nodes.update(Object.keys(positions).map((id) => ({
      id, x: Math.round(positions[id].x), y: Math.round(positions[id].y),
    })));
  }

  function passes(claim, chosen) {
    const f = claim.facets;
    if (chosen.actor && !f.actors.includes(chosen.actor)) return false;
    if (chosen.norm && !f.norms.includes(chosen.norm)) return false;
    if (chosen.event && !f.events.includes(chosen.event)) return false;
    if (chosen.since && f.end < chosen.since) return false;
    return !(chosen.until && f.start > chosen.until);
  }

  function applyFilters() {
    const chosen = {};
    for (const [name, control] of Object.entries(controls)) chosen[name] = control.value;
    rememberPositions();
    if (!Object.values(chosen).some(Boolean)) {
      visible = null;
    } else {
      visible = new Set();
      for (const node of data.nodes) {
        if (node.kind === "claim" && passes(node, chosen)) visible.add(node.id);
      }
      for (const node of data.nodes) {
        if (node.kind !== "claim" && (neighbours.get(node.id) || []).some((id) => visible.has(id))) {
          visible.add(node.id);
        }
      }
    }
    nodeView.refresh();
    edgeView.refresh();
    network.fit({ animation: false });
    showCount();
    if (searchBox.value) runSearch(false);
  }

  function runSearch(jump) {
    const wanted = searchBox.value.trim().toLowerCase();
    if (!wanted) {
      network.unselectAll();
      searchStatus.textContent = "";
      return;
    }
    const found = nodeView.getIds({ filter: (node) => node.search.includes(wanted) });
    network.selectNodes(found, false);
    searchStatus.textContent = found.length ? plural(found.length, "match") : "No match among the nodes shown.";
    if (found.length) showDetails(found[0]);
    if (jump && found.length) network.fit({ nodes: found, animation: false });
  }

  function focusOn(id) {
    if (!nodeView.get(id)) return;
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
    showDetails(id);
  }

  function reset() {
    for (const control of Object.values(controls)) control.value = "";
    searchBox.value = "";
    applyFilters();
  }

  function ready() {
    if (data.options.physics.enabled) {
      network.setOptions({ physics: { enabled: false } });
      rememberPositions();
    } else {
      network.fit({ animation: false });
    }
    showCount();
    if (data.focus) focusOn(data.focus);
    document.body.dataset.ready = "true";
  }

  network.on("stabilizationProgress", (progress) => {
    status.textContent = `Laying out ${plural(nodes.length, "node")}: ` +
      `${Math.round((100 * progress.iterations) / progress.total)}%`;
  });
  if (data.options.physics.enabled) network.once("stabilizationIterationsDone", ready);
  network.on("click", (params) => showDetails(params.nodes[0]));
  for (const control of Object.values(controls)) control.addEventListener("change", applyFilters);
  searchBox.addEventListener("input", () => runSearch(false));
  searchBox.addEventListener("keydown", (event) => {
    if (event.key === "Enter") runSearch(true);
  });
  document.getElementById("reset").addEventListener("click", reset);
  showDetails();
  if (!data.options.physics.enabled) ready();

  window.ilkg = { network, nodes, edges, nodeView, edgeView, applyFilters, focusOn };
})();
