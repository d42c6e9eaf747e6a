/* peacegraph pages: search as you type (a keyboard-operable ARIA combobox), and the quote a link points at, highlighted.
   Served, the search asks /api/search; in the static site it searches search-index.json in the browser.
   Every text is put in with textContent, never as markup. */
(function () {
  "use strict";
  var body = document.body;
  var searchApi = body.dataset.search || "";
  var entityBase = body.dataset.entityBase || "/entity/ENTITY_ID";
  var staticIndex = null;

  function entityUrl(id) { return entityBase.replace("ENTITY_ID", encodeURIComponent(id)); }

  // The same folding as peacegraph.web.search.fold: case, diacritics, quotes and dashes.
  function fold(text) {
    return text.replace(/[\u2018\u2019]/g, "'").replace(/[\u2013\u2014\u2010]/g, "-").replace(/\u018F/g, "A").replace(/\u0259/g, "a")
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().split(/[\s\-_/]+/).filter(Boolean).join(" ");
  }

  // The index is a script (window.peacegraphSearchIndex), not JSON to fetch: pages opened from disk may not fetch files.
  function loadIndex() {
    if (staticIndex) return staticIndex;
    staticIndex = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = body.dataset.index;
      script.onload = function () { resolve(window.peacegraphSearchIndex || []); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return staticIndex;
  }

  function compareKeys(a, b) {
    for (var i = 0; i < a.length; i++) { if (a[i] !== b[i]) return a[i] - b[i]; }
    return 0;
  }

  // Static search: exact, prefix, word prefix, substring; one hit per entity (no fuzzy matching without the server).
  function searchStatic(query, limit) {
    return loadIndex().then(function (rows) {
      var q = fold(query), best = {};
      if (!q) return [];
      rows.forEach(function (r) {
        var name = r[5], level = -1;
        if (name === q) level = 0;
        else if (name.indexOf(q) === 0) level = 1;
        else if ((" " + name).indexOf(" " + q) >= 0) level = 2;
        else if (name.indexOf(q) >= 0) level = 3;
        if (level < 0) return;
        var key = [level, r[3] === "label" ? 0 : 1, name.length];
        var old = best[r[0]];
        if (!old || compareKeys(key, old.key) < 0) best[r[0]] = { key: key, id: r[0], label: r[1], matched: r[2], kind: r[3], type: r[4] };
      });
      return Object.keys(best).map(function (k) { return best[k]; }).sort(function (a, b) {
        return compareKeys(a.key, b.key) || a.label.localeCompare(b.label);
      }).slice(0, limit);
    });
  }

  function search(query, limit) {
    if (!searchApi) return searchStatic(query, limit);
    return fetch(searchApi + "?limit=" + limit + "&q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { hits: [] }; }).then(function (data) { return data.hits; });
  }

  function combobox(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var mode = input.dataset.combobox; // "navigate": go to the entity page; "fill": put ent:<id> in the field
    var items = [], active = -1, pending = 0, timer = null;

    function close() {
      list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1;
    }
    function setActive(i) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (i + options.length) % options.length;
      options.forEach(function (o, j) { o.setAttribute("aria-selected", j === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }
    function choose(i) {
      var hit = items[i];
      if (!hit) return;
      if (mode === "fill") { input.value = "ent:" + hit.id; close(); return; }
      window.location.href = entityUrl(hit.id);
    }
    function render(hits) {
      items = hits; list.textContent = ""; active = -1;
      hits.forEach(function (h, i) {
        var li = document.createElement("li");
        li.id = input.id + "-opt-" + i; li.setAttribute("role", "option"); li.setAttribute("aria-selected", "false");
        li.dataset.entity = h.id;
        var name = document.createElement("span"); name.textContent = h.label; li.appendChild(name);
        var meta = document.createElement("span"); meta.className = "meta";
        meta.textContent = (h.type || "") + (h.matched && h.matched !== h.label ? " \u00b7 \u201c" + h.matched + "\u201d" : "");
        li.appendChild(meta);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      var open = hits.length > 0;
      list.hidden = !open; input.setAttribute("aria-expanded", open ? "true" : "false");
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var query = input.value.trim();
      if (!query) { close(); return; }
      timer = setTimeout(function () {
        var ticket = ++pending;
        search(query, 8).then(function (hits) { if (ticket === pending) render(hits); }).catch(close);
      }, 60);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); if (list.hidden && items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } setActive(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); setActive(active - 1); }
      else if (e.key === "Enter" && active >= 0 && !list.hidden) { e.preventDefault(); choose(active); }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  document.querySelectorAll("input[data-combobox]").forEach(combobox);

  // Static search page: the results of ?q= from the index.
  var staticResults = document.getElementById("static-results");
  if (staticResults) {
    var q = new URLSearchParams(window.location.search).get("q") || "";
    if (q) {
      var heading = document.querySelector("main h1"); heading.textContent = "Search: \u201c" + q + "\u201d";
      searchStatic(q, 50).then(function (hits) {
        if (!hits.length) { var p = document.createElement("p"); p.textContent = "No entity has a name like \u201c" + q + "\u201d."; staticResults.appendChild(p); return; }
        var ol = document.createElement("ol"); ol.className = "hits";
        hits.forEach(function (h) {
          var li = document.createElement("li"), a = document.createElement("a");
          a.href = entityUrl(h.id); a.textContent = h.label; li.appendChild(a);
          var meta = document.createElement("span"); meta.className = "meta"; meta.textContent = " " + (h.type || "") + (h.matched !== h.label ? " \u00b7 matched \u201c" + h.matched + "\u201d" : "");
          li.appendChild(meta); ol.appendChild(li);
        });
        staticResults.appendChild(ol);
      });
    }
  }

  // Document page: #q-<statement> highlights every run of that quote; #f-<statement> the fact in the list.
  function highlightTarget() {
    document.querySelectorAll(".current").forEach(function (e) { e.classList.remove("current"); });
    var hash = decodeURIComponent(window.location.hash.slice(1));
    if (hash.indexOf("q-") === 0) {
      var id = hash.slice(2), runs = [];
      document.querySelectorAll("section.text a.quote").forEach(function (a) {
        if ((a.dataset.q || "").split(" ").indexOf(id) >= 0) { a.classList.add("current"); runs.push(a); }
      });
      if (runs.length) runs[0].scrollIntoView({ block: "center" });
      var fact = document.getElementById("f-" + id);
      if (fact) fact.classList.add("current");
    }
  }
  if (document.querySelector("section.text")) {
    window.addEventListener("hashchange", highlightTarget);
    highlightTarget();
  }
})();
