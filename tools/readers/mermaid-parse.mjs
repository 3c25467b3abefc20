// Parse Mermaid files with Mermaid's own parser and print what a reader of the drawing gets, as
// JSON: {"file": {"type", "nodes": [[id, text shown]], "edges": [[from, to, arrow, stroke, label, style]]}},
// style being the edge's linkStyle declarations (a list of "property:value").
// Used by tests/argument/test_exporters.py to check `kg export -f mermaid`. Mermaid needs a DOM (it
// sanitises labels with DOMPurify), so it runs under jsdom. A file that does not parse makes the
// script print the parser's error and exit with 1.
//
// Usage: node mermaid-parse.mjs FILE...

import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

// Mermaid hides entity codes (#35;) behind placeholders while parsing and turns them into HTML
// entities when drawing; labels are HTML. Do the same and keep the text a browser would show.
function shown(label) {
  const html = label
    .replace(/ﬂ°°(\d+)¶ß/g, "&#$1;")
    .replace(/ﬂ°(\w+)¶ß/g, "&$1;")
    .replace(/<br\s*\/?>/gi, "\n");
  const element = document.createElement("div");
  element.innerHTML = html;
  return element.textContent;
}

const result = {};
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  try {
    const { diagramType } = await mermaid.parse(text);
    const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
    result[file] = {
      type: diagramType,
      nodes: [...db.getVertices().values()].map((v) => [v.id, shown(v.text)]),
      edges: db.getEdges().map((e) => [e.start, e.end, e.type, e.stroke, e.text, e.style ?? []]),
    };
  } catch (error) {
    console.error(`${file}: ${error.message ?? error}`);
    process.exit(1);
  }
}
console.log(JSON.stringify(result));
