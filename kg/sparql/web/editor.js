/* The query editor of `kg serve`: Yasgui, pointed at this server's /sparql, one tab per saved query.
 *
 * Served as /static/ilkg/editor.js under a Content-Security-Policy that allows scripts from this
 * origin only, so the page has no inline script. Nothing here or in the Yasgui we configure asks
 * another host for anything:
 *   - the "class" and "property" autocompleters (which ask lov.linkeddata.es) are switched off;
 *   - prefix completion uses the server's predefined prefixes (/prefixes.json) and those of our
 *     saved queries, not prefix.cc nor Yasgui's bundled list of prefix.cc's 2 000 prefixes;
 *   - the endpoint catalogue lists this server only (Yasgui's default offers DBpedia and Wikidata),
 *     and a shared link (#query=...&endpoint=...) opens against this server whatever it names;
 *   - nothing is kept in localStorage (persistenceId: null), so every load starts fresh from
 *     /queries.json.
 * Data from the server (names, questions, queries) reaches the page through textContent and
 * Yasgui's own text APIs, never through innerHTML.
 *
 * The server declares the predefined prefixes (kg.graph.namespaces.QUERY_PREFIXES) for any query that
 * uses them undeclared, as the Wikidata Query Service does; the editor's syntax check is told the
 * same list, so it does not mark `ilk:Claim` as "Prefix 'ilk' is not defined".
 */
(function () {
  "use strict";

  var ENDPOINT = new URL("/sparql", window.location.href).href;
  var PREFIX_LINE = /^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>/gim;
  var NEW_TAB_QUERY = [
    "PREFIX ilk: <https://w3id.org/ilkg/ontology#>",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
    "",
    "# How many things of each class are in the graph?",
    "SELECT ?class (COUNT(?thing) AS ?things) WHERE {",
    "  ?thing a ?class .",
    "}",
    "GROUP BY ?class",
    "ORDER BY DESC(?things)",
    ""
  ].join("\n");

  function byId(id) {
    return document.getElementById(id);
  }

  function showStatus(message, isError) {
    var status = byId("status");
    status.textContent = message;
    status.className = isError ? "ilkg-error" : "";
    status.hidden = false;
  }

  function prefixesOf(queries, predefined) {
    var prefixes = Object.assign({}, predefined);
    queries.forEach(function (saved) {
      var match;
      PREFIX_LINE.lastIndex = 0;
      while ((match = PREFIX_LINE.exec(saved.query)) !== null) {
        prefixes[match[1] || ""] = match[2];
      }
    });
    return prefixes;
  }

  // Yasqe's SPARQL mode starts each parse knowing no prefix; start it knowing the predefined ones
  // (a PREFIX line in the query still overrides them, as on the server).
  function predefinePrefixes(Yasqe, predefined) {
    var original = Yasqe.modes && Yasqe.modes.sparql11;
    if (typeof original !== "function") return;
    Yasqe.defineMode("sparql11", function (config, parserConfig) {
      var mode = original(config, parserConfig);
      var startState = mode.startState;
      mode.startState = function () {
        var state = startState.apply(mode, arguments);
        state.prefixes = Object.assign({}, predefined, state.prefixes);
        return state;
      };
      return mode;
    });
  }

  function configureYasgui(Yasgui, prefixes, predefined) {
    var Yasqe = Yasgui.Yasqe;
    predefinePrefixes(Yasqe, predefined);
    var completions = Object.keys(prefixes).sort().map(function (label) {
      return label + ": <" + prefixes[label] + ">";
    });
    // Yasgui's "prefixes" completer, with our list (an array: never fetched, never cached).
    Yasqe.forkAutocompleter("prefixes", { name: "ilkg-prefixes", get: completions, persistenceId: null }, false);
    // Set the list itself: lodash's merge would combine a configured array with the default one
    // index by index and so keep "class" and "property", which query lov.linkeddata.es.
    Yasqe.defaults.autocompleters = ["ilkg-prefixes", "variables"];
    Yasgui.defaults.yasqe.autocompleters = ["ilkg-prefixes", "variables"];
    Yasqe.defaults.prefixCcApi = null;
    Yasgui.defaults.yasqe.prefixCcApi = null;
  }

  function renderCatalogueItem(data, source) {
    // Yasgui's default renderer builds this with innerHTML; we build it from text.
    var span = document.createElement("span");
    (data.matches.endpoint || [{ text: data.value.endpoint, highlight: false }]).forEach(function (part) {
      var piece = document.createElement(part.highlight ? "b" : "span");
      piece.textContent = part.text;
      span.appendChild(piece);
    });
    source.appendChild(span);
  }

  function start(queries, predefined) {
    var Yasgui = window.Yasgui;
    var prefixes = prefixesOf(queries, predefined);
    configureYasgui(Yasgui, prefixes, predefined);

    var yasgui = new Yasgui(byId("yasgui"), {
      persistenceId: null,
      autoAddOnInit: false,
      // A shared link (#query=...) opens as a tab, but always against this server.
      populateFromUrl: function (tabJson) {
        tabJson.requestConfig.endpoint = ENDPOINT;
        return tabJson;
      },
      copyEndpointOnNewTab: false,
      tabName: "Query",
      requestConfig: { endpoint: ENDPOINT, method: "POST" },
      endpointCatalogueOptions: {
        getData: function () {
          return [{ endpoint: ENDPOINT }];
        },
        keys: [],
        renderItem: renderCatalogueItem
      },
      yasqe: { value: NEW_TAB_QUERY, prefixCcApi: null },
      yasr: { prefixes: prefixes }
    });

    var questions = {};
    var listItems = {};
    var list = byId("saved-list");

    function tabConfig(saved, index) {
      return {
        id: "saved-" + index,
        name: saved.name,
        yasqe: { value: saved.query },
        requestConfig: { endpoint: ENDPOINT }
      };
    }

    function showQuestion(tabId) {
      var question = byId("question");
      question.textContent = questions[tabId] || "";
      question.hidden = !questions[tabId];
      Object.keys(listItems).forEach(function (id) {
        if (id === tabId) listItems[id].setAttribute("aria-current", "true");
        else listItems[id].removeAttribute("aria-current");
      });
    }

    function labelTab(tabId) {
      var link = byId("tab-" + tabId);
      if (link && questions[tabId]) link.title = questions[tabId];
    }

    queries.forEach(function (saved, index) {
      var tabId = "saved-" + index;
      questions[tabId] = saved.question;
      var first = index === 0 && !yasgui.getTab();
      yasgui.addTab(first, tabConfig(saved, index));
      labelTab(tabId);

      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ilkg-saved-name";
      button.textContent = saved.name;
      button.addEventListener("click", function () {
        if (yasgui.getTab(tabId)) {
          if (!yasgui.getTab() || yasgui.getTab().getId() !== tabId) yasgui.selectTabId(tabId);
        } else {
          yasgui.addTab(true, tabConfig(saved, index)); // it was closed: open it again
          labelTab(tabId);
        }
        showQuestion(tabId);
      });
      var question = document.createElement("span");
      question.className = "ilkg-saved-question";
      question.textContent = saved.question;
      item.appendChild(button);
      item.appendChild(question);
      list.appendChild(item);
      listItems[tabId] = item;
    });

    yasgui.on("tabSelect", function (_instance, tabId) {
      showQuestion(tabId);
    });
    yasgui.on("tabClose", function () {
      var tab = yasgui.getTab();
      showQuestion(tab ? tab.getId() : "");
    });
    if (!yasgui.getTab()) yasgui.addTab(true); // no saved queries: one empty tab to write in
    var active = yasgui.getTab();
    showQuestion(active ? active.getId() : "");
    window.ilkgYasgui = yasgui; // for the browser console and the tests
    document.body.setAttribute("data-editor", "ready");
  }

  function main() {
    var link = byId("endpoint-link");
    link.href = ENDPOINT;
    link.textContent = ENDPOINT;
    if (typeof window.Yasgui !== "function") {
      showStatus("The query editor (Yasgui) is not installed on this server: run `make editor` (or " +
        "`npm ci`) at the top of the ilkg checkout, then restart `kg serve`. The SPARQL endpoint " +
        "works without it: send queries to " + ENDPOINT + ".", true);
      document.querySelector(".ilkg-layout").hidden = true;
      document.body.setAttribute("data-editor", "missing");
      return;
    }
    function load(path) {
      return fetch(path, { headers: { Accept: "application/json" } }).then(function (response) {
        if (!response.ok) throw new Error(path + " answered " + response.status);
        return response.json();
      });
    }
    var queries = load("/queries.json").catch(function (error) {
      showStatus("Could not load the saved queries (" + error.message + "); the editor starts empty.", true);
      return [];
    });
    var predefined = load("/prefixes.json").catch(function (error) {
      showStatus("Could not load the predefined prefixes (" + error.message + "); declare every prefix " +
        "with PREFIX.", true);
      return {};
    });
    Promise.all([queries, predefined])
      .then(function (loaded) {
        start(loaded[0], loaded[1]);
      })
      .catch(function (error) {
        showStatus("The query editor failed to start: " + error.message, true);
        document.body.setAttribute("data-editor", "failed");
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
  else main();
})();
