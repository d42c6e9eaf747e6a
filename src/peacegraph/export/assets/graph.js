/* peacegraph interactive view: pan, zoom, search by label, legend of types, facts of a node. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var nodes = data.elements.nodes, edges = data.elements.edges;
  var byId = {};
  nodes.forEach(function (n) { byId[n.data.id] = n.data; });

  // Start from a circle so the force-directed layout gives the same picture every time.
  nodes.forEach(function (n, i) {
    var angle = 2 * Math.PI * i / Math.max(1, nodes.length), r = 40 + 12 * nodes.length;
    n.position = { x: r * Math.cos(angle), y: r * Math.sin(angle) };
  });

  var cy = cytoscape({
    container: document.getElementById("cy"),
    elements: data.elements,
    wheelSensitivity: 0.3,
    minZoom: 0.05,
    maxZoom: 4,
    style: [
      { selector: "node", style: {
        "background-color": "data(color)", "shape": "data(shape)", "label": "data(label)",
        "width": 24, "height": 24, "font-size": 10, "text-valign": "bottom", "text-margin-y": 3,
        "text-wrap": "wrap", "text-max-width": 110, "border-width": 1, "border-color": "#333" } },
      { selector: "edge", style: {
        "curve-style": "bezier", "target-arrow-shape": "triangle", "width": 1.2,
        "line-color": "#9a9a9a", "target-arrow-color": "#9a9a9a", "label": "data(label)",
        "font-size": 7, "color": "#555", "text-rotation": "autorotate",
        "text-background-color": "#fff", "text-background-opacity": 0.85, "text-background-padding": 1 } },
      { selector: "edge[?modal]", style: { "line-style": "dashed" } },
      { selector: ".faded", style: { "opacity": 0.12 } },
      { selector: "node.match", style: { "border-width": 4, "border-color": "#d62728" } },
      { selector: "node:selected", style: { "border-width": 5, "border-color": "#111" } }
    ],
    layout: { name: "preset" }
  });

  var api = { cy: cy, data: data, ready: false, selected: null, matches: [] };
  window.peacegraph = api;

  var layout = cy.layout(nodes.length > 400
    ? { name: "grid", padding: 30 }
    : { name: "cose", animate: false, randomize: false, padding: 30, nodeDimensionsIncludeLabels: true,
        nodeRepulsion: function () { return 60000; }, idealEdgeLength: function () { return 110; },
        nodeOverlap: 40, componentSpacing: 120, gravity: 0.5, numIter: 2500 });
  layout.on("layoutstop", function () { cy.fit(undefined, 30); api.ready = true; });
  layout.run();

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  document.getElementById("stats").textContent =
    nodes.length + " nodes, " + edges.length + " edges. Drag to pan, scroll to zoom.";

  // Legend: one line per type, coloured as its nodes; a click highlights that type.
  var types = {};
  nodes.forEach(function (n) {
    var key = n.data.type || "other";
    types[key] = types[key] || { label: n.data.type_label || "other", color: n.data.color, count: 0 };
    types[key].count += 1;
  });
  var legend = document.getElementById("legend");
  Object.keys(types).sort(function (a, b) { return types[b].count - types[a].count || a.localeCompare(b); })
    .forEach(function (key) {
      var t = types[key], li = el("li");
      var sw = el("span", "", "swatch"); sw.style.background = t.color;
      li.appendChild(sw); li.appendChild(document.createTextNode(t.label + " "));
      li.appendChild(el("span", "(" + t.count + ")", "count"));
      li.dataset.type = key;
      li.addEventListener("click", function () {
        cy.elements().removeClass("faded");
        var keep = cy.nodes().filter(function (n) { return (n.data("type") || "other") === key; });
        cy.elements().not(keep).not(keep.connectedEdges()).addClass("faded");
      });
      legend.appendChild(li);
    });

  // Search by label or alias.
  var search = document.getElementById("search"), results = document.getElementById("results");
  function find(text) {
    var q = text.trim().toLowerCase();
    if (!q) return [];
    return nodes.map(function (n) { return n.data; }).filter(function (d) {
      return d.label.toLowerCase().indexOf(q) >= 0 ||
        (d.aliases || []).some(function (a) { return a.toLowerCase().indexOf(q) >= 0; });
    }).sort(function (a, b) {
      var ea = a.label.toLowerCase() === q ? 0 : 1, eb = b.label.toLowerCase() === q ? 0 : 1;
      return ea - eb || a.label.localeCompare(b.label);
    });
  }
  function runSearch() {
    var found = find(search.value);
    api.matches = found.map(function (d) { return d.id; });
    cy.nodes().removeClass("match");
    results.innerHTML = "";
    if (!search.value.trim()) return;
    if (!found.length) { results.appendChild(el("li", "no node has that label", "none")); return; }
    found.slice(0, 25).forEach(function (d) {
      var li = el("li"), sw = el("span", "", "swatch");
      sw.style.background = d.color;
      li.appendChild(sw); li.appendChild(document.createTextNode(d.label));
      li.dataset.id = d.id;
      li.addEventListener("click", function () { focusNode(d.id); });
      results.appendChild(li);
      cy.getElementById(d.id).addClass("match");
    });
    var exact = found.filter(function (d) { return d.label.toLowerCase() === search.value.trim().toLowerCase(); });
    if (exact.length === 1 || found.length === 1) centreOn((exact[0] || found[0]).id);
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && api.matches.length) focusNode(api.matches[0]);
  });

  function centreOn(id) {
    var node = cy.getElementById(id);
    if (node.empty()) return;
    if (cy.zoom() < 0.7) cy.zoom(0.9);
    cy.center(node);
  }
  function focusNode(id) {
    centreOn(id);
    cy.nodes().unselect();
    cy.getElementById(id).select();
    showFacts(id);
  }
  api.focusNode = focusNode;

  // Facts of a node: every edge at it, with dates, roles, quotes and sources.
  var details = document.getElementById("details");
  function showFacts(id) {
    var d = byId[id];
    api.selected = id;
    details.innerHTML = "";
    if (!d) return;
    details.appendChild(el("h3", d.label));
    details.appendChild(el("div", (d.type_label || "entity") + " \u00b7 " + d.id, "kind"));
    if (d.aliases && d.aliases.length) details.appendChild(el("div", "Also: " + d.aliases.join(", "), "kind"));
    Object.keys(d.attributes || {}).sort().forEach(function (k) {
      details.appendChild(el("div", k + ": " + d.attributes[k], "kind"));
    });
    var mine = edges.map(function (e) { return e.data; })
      .filter(function (e) { return e.source === id || e.target === id; })
      .sort(function (a, b) { return (a.start || "9999").localeCompare(b.start || "9999") || a.label.localeCompare(b.label); });
    if (!mine.length) details.appendChild(el("p", "No facts in this view.", "hint"));
    mine.forEach(function (e) {
      var box = el("div", null, "fact"), what = el("div", null, "what");
      [e.source, e.target].forEach(function (end, i) {
        if (i === 1) what.appendChild(document.createTextNode(" " + e.label + " "));
        var other = byId[end] ? byId[end].label : end;
        if (end === id) what.appendChild(el("b", other));
        else {
          var a = el("a", other); a.dataset.id = end;
          a.addEventListener("click", function () { focusNode(end); });
          what.appendChild(a);
        }
      });
      box.appendChild(what);
      (e.facts || []).forEach(function (f) {
        var when = [f.date, f.role ? "role: " + f.role : "", f.modality].filter(Boolean).join(" \u00b7 ");
        if (when) box.appendChild(el("div", when, "when"));
        if (f.quote) box.appendChild(el("blockquote", "\u201c" + f.quote + "\u201d"));
        if (f.source) box.appendChild(el("div", "\u2014 " + f.source + (f.source_id ? " (" + f.source_id + (f.issued ? ", " + f.issued : "") + ")" : ""), "source"));
      });
      details.appendChild(box);
    });
  }
  api.showFacts = showFacts;

  cy.on("tap", "node", function (evt) { showFacts(evt.target.id()); });
  cy.on("tap", function (evt) {
    if (evt.target === cy) { cy.elements().removeClass("faded"); }
  });
})();
