// Parse Mermaid files with the real Mermaid parser under Node, as GitHub's renderer would.
// Usage: node mermaid-parse.mjs PACKAGE FILE...   (PACKAGE: "mermaid" or "mermaid10")
// Prints one JSON object: {"version": ..., "results": {FILE: {"ok": true} | {"ok": false, "error": "..."}}}.
// Mermaid needs a DOM (DOMPurify, d3) even to parse; jsdom provides one.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

const [pkg, ...files] = process.argv.slice(2);
const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>", { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const name of ["Element", "HTMLElement", "Node", "DOMParser", "MutationObserver", "getComputedStyle"]) {
  if (!(name in globalThis)) globalThis[name] = dom.window[name];
}
if (!("navigator" in globalThis)) globalThis.navigator = dom.window.navigator;

const mermaid = (await import(pkg)).default;
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
const results = {};
for (const file of files) {
  try {
    await mermaid.parse(readFileSync(file, "utf8"));
    results[file] = { ok: true };
  } catch (err) {
    results[file] = { ok: false, error: String(err && err.message ? err.message : err).split("\n").slice(0, 6).join("\n") };
  }
}
const version = JSON.parse(readFileSync(new URL(`./node_modules/${pkg}/package.json`, import.meta.url), "utf8")).version;
process.stdout.write(JSON.stringify({ version, results }) + "\n");
