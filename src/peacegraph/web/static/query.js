/* The SPARQL query page: YASGUI bound to this server's /sparql, offline.
   LOV's property and class completion (another host) is switched off, the endpoint cannot be changed,
   the graph's prefixes are declared in a new query, and the canned questions are the examples. */
(function () {
  "use strict";
  var initial = JSON.parse(document.getElementById("query-initial").textContent);
  var examples = JSON.parse(document.getElementById("query-examples").textContent);
  var endpoint = window.location.origin + "/sparql";
  var prologue = Object.keys(initial.prefixes).map(function (p) { return "PREFIX " + p + ": <" + initial.prefixes[p] + ">"; }).join("\n");
  var starter = prologue + "\n\nSELECT ?entity ?label WHERE {\n  ?entity a pg:State ; rdfs:label ?label .\n}\nORDER BY ?label\nLIMIT 100\n";

  Yasqe.defaults.autocompleters = Yasqe.defaults.autocompleters.filter(function (n) { return n !== "property" && n !== "class"; });
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    populateFromUrl: false,
    persistenceId: null,
    autofocus: true,
    yasqe: { value: initial.query || starter, prefixCcApi: null },
  });
  var tab = yasgui.getTab();
  tab.setEndpoint(endpoint);
  tab.setQuery(initial.query || starter);
  window.peacegraphQuery = { yasgui: yasgui, run: function () { return yasgui.getTab().query(); } };

  document.getElementById("examples").addEventListener("change", function (e) {
    var found = examples.filter(function (x) { return x.name === e.target.value; })[0];
    if (found) yasgui.getTab().setQuery(found.query);
  });
})();
