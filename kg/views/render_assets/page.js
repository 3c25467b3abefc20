/* The script of the page `kg render` writes: hover cards, details, search, filters, the first
 * view of the main dispute, and the labels of the claims under assumed elements of legal tests.
 *
 * Everything it shows comes from the JSON block #ilkg-data and reaches the page through
 * textContent or as the text of an <option>, never as HTML, so no corpus text can become markup
 * or script. Filters work on a vis.DataView over the full DataSet: the network only draws what
 * the view lets through, and positions are kept in the DataSet so that nodes come back where
 * they were. The main dispute (data.firstView) is laid out first, on its own; then the rest around
 * it, the main dispute held in place; the page then opens on the main dispute, and "Show all"
 * shows the rest where the layout put it. A large page (positions computed when it was written, no
 * physics) opens on the main dispute alone, an overview: the network gets the rest of the nodes
 * only when "Show all" or a filter asks, so that it is drawn in seconds. The labels are recomputed by
 * the script shared with the page of `kg scheme` (window.ilkgAssumptions).
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
    const rows = spec.label ? [["Label", `${spec.label} (structured reading)`], ...spec.rows] : spec.rows;
    if (rows && rows.length) {
      const list = document.createElement("dl");
      for (const [name, value] of rows) {
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
    if (node.kind === "claim" && node.acceptance) node.card.label = node.acceptance;
    node.search = [node.id, node.label, node.card.title].join("\n").toLowerCase();
    byId.set(node.id, node);
  }
  // Hover cards are DOM elements: built only for the nodes and edges given to the network.
  function withTitle(item) {
    if (!item.title) item.title = card(item.from === undefined ? item.card : { title: item.card, rows: [] });
    return item;
  }
  for (const edge of data.edges) {
    for (const [one, other] of [[edge.from, edge.to], [edge.to, edge.from]]) {
      if (byId.get(one).kind !== "claim" && byId.get(other).kind === "claim") {
        if (!neighbours.has(one)) neighbours.set(one, []);
        neighbours.get(one).push(other);
      }
    }
  }

  const firstView = data.firstView ? new Set(data.firstView) : null;
  const totalClaims = data.nodes.filter((node) => node.kind === "claim").length;
  // A large page (laid out in advance, no physics) with a first view starts from an overview: the
  // network is given only the first view's nodes, and the rest when "Show all" or a filter asks
  // (allBuilt()), since creating thousands of vis-network nodes up front takes seconds.
  let overview = Boolean(firstView) && !data.options.physics.enabled;
  // null: no filter, everything is shown; else the Set of shown node ids. A page with a first view
  // lays that out alone first, so that the main dispute gets the whole canvas (see ready()).
  let visible = firstView && (data.options.physics.enabled || overview) ? firstView : null;
  const nodes = new vis.DataSet(
    (overview ? data.nodes.filter((node) => firstView.has(node.id)) : data.nodes).map(withTitle));
  const edges = new vis.DataSet(
    (overview ? data.edges.filter((edge) => firstView.has(edge.from) && firstView.has(edge.to)) : data.edges)
      .map(withTitle));

  function allBuilt() {
    if (!overview) return;
    overview = false;
    nodes.add(data.nodes.filter((node) => !firstView.has(node.id)).map(withTitle));
    edges.add(data.edges.filter((edge) => !(firstView.has(edge.from) && firstView.has(edge.to))).map(withTitle));
  }
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
    if (visible === null) {
      status.textContent = `Showing all ${plural(shown, "node")} (${plural(claims, "claim")}).`;
    } else if (visible === firstView) {
      status.textContent = `Showing the main dispute: ${plural(claims, "claim")} and who makes them, ` +
        `${shown.toLocaleString("en")} of ${data.nodes.length.toLocaleString("en")} nodes ` +
        `(${plural(totalClaims, "claim")} in all). ` +
        (data.options.physics.enabled ? "“Show all” or a filter shows the rest."
          : "“Show all” draws them all at once, which is slow at this size; a filter draws fewer.");
    } else {
      status.textContent = `Showing ${plural(shown, "node")} of ${data.nodes.length.toLocaleString("en")} ` +
        `(${plural(claims, "claim")}).`;
    }
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
    allBuilt();
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

  function showMain() {
    for (const control of Object.values(controls)) control.value = "";
    searchBox.value = "";
    rememberPositions();
    visible = firstView;
    nodeView.refresh();
    edgeView.refresh();
    network.fit({ animation: false });
    showCount();
  }

  // --- labels under the structured reading, and what-if assumptions ------------------------------

  const toggles = window.ilkgAssumptions;
  const assumed = document.getElementById("assumed");

  function relabel(values) {
    if (!data.model) return;
    const labels = toggles.labels(data.model, values);
    const changes = [];
    for (const node of data.nodes) {
      if (node.kind !== "claim") continue;
      const label = labels[node.id.slice("claim:".length)];
      if (label === undefined || label === node.acceptance) continue;
      node.acceptance = label;
      node.card.label = label;
      const border = data.labelStyle[label];
      node.color = Object.assign({}, node.color, { border });
      node.label = `[${label}] ${node.text}`;
      if (!nodes.get(node.id)) {
        node.title = undefined; // not given to the network yet: its card is built when it is
        continue;
      }
      node.title = card(node.card);
      changes.push({ id: node.id, label: node.label, title: node.title, color: node.color, acceptance: label });
    }
    nodes.update(changes);
    assumed.textContent = `Assumed: ${toggles.describe(data.model, values)}.`;
    document.body.dataset.labels = JSON.stringify(labels);
  }

  function buildAssumptions() {
    const box = document.getElementById("assumptions");
    if (!data.model || !box) return;
    let scheme = null;
    // the order the page was given (the most engaged tests first), then any other element at stake
    const atStake = toggles.atStake(data.model);
    const offered = new Set(atStake);
    const ordered = (data.assumptionOrder || []).filter((e) => offered.has(e));
    const listed = new Set(ordered);
    for (const element of [...ordered, ...atStake.filter((e) => !listed.has(e))]) {
      const info = data.model.elements[element];
      if (info.scheme !== scheme) {
        scheme = info.scheme;
        const heading = document.createElement("h3");
        heading.textContent = data.schemes[scheme] || scheme;
        box.appendChild(heading);
      }
      const label = document.createElement("label");
      label.textContent = `${info.label} (${info.role})`;
      const select = toggles.control(data.model, element, relabel);
      label.appendChild(select);
      box.appendChild(label);
    }
    document.getElementById("assume-none").addEventListener("click", () => {
      toggles.reset();
      relabel({});
    });
    relabel({});
  }

  // A first view laid out alone: lay out the rest around it, the first view held in place.
  function layoutTheRest() {
    rememberPositions();
    nodes.update([...firstView].map((id) => ({ id, fixed: true })));
    visible = null;
    nodeView.refresh();
    edgeView.refresh();
    network.once("stabilizationIterationsDone", () => {
      nodes.update([...firstView].map((id) => ({ id, fixed: false })));
      ready();
    });
    network.stabilize(data.options.physics.stabilization.iterations);
  }

  function ready() {
    if (data.options.physics.enabled) {
      network.setOptions({ physics: { enabled: false } });
      rememberPositions();
    } else {
      network.fit({ animation: false });
    }
    if (firstView) showMain();
    showCount();
    if (data.focus) focusOn(data.focus);
    document.body.dataset.ready = "true";
  }

  network.on("stabilizationProgress", (progress) => {
    status.textContent = `Laying out ${plural(nodes.length, "node")}: ` +
      `${Math.round((100 * progress.iterations) / progress.total)}%`;
  });
  if (data.options.physics.enabled) network.once("stabilizationIterationsDone", firstView ? layoutTheRest : ready);
  network.on("click", (params) => showDetails(params.nodes[0]));
  for (const control of Object.values(controls)) control.addEventListener("change", applyFilters);
  searchBox.addEventListener("input", () => runSearch(false));
  searchBox.addEventListener("keydown", (event) => {
    if (event.key === "Enter") runSearch(true);
  });
  document.getElementById("reset").addEventListener("click", reset);
  document.getElementById("main-view").addEventListener("click", showMain);
  document.getElementById("main-view").disabled = !firstView;
  buildAssumptions();
  showDetails();
  if (!data.options.physics.enabled) ready();

  window.ilkg = { network, nodes, edges, nodeView, edgeView, applyFilters, focusOn, showMain, relabel,
                  model: data.model, firstView: data.firstView };
})();
