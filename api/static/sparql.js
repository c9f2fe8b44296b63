// The SPARQL editor: YASGUI over this server's /sparql, with aikg's prefixes and
// the queries of queries/ as examples. Autocompletion of terms is limited to
// prefixes and variables: YASGUI's class and property completers would call a
// third-party service.
(function () {
  "use strict";
  const box = document.getElementById("yasgui");
  if (!box || typeof Yasgui === "undefined") return;
  const Gui = Yasgui.default || Yasgui;
  const examples = JSON.parse(document.getElementById("example-queries").textContent);
  const prefixes = JSON.parse(document.getElementById("prefixes").textContent);
  const defaultQuery = JSON.parse(document.getElementById("default-query").textContent);
  const endpoint = new URL(box.dataset.endpoint, window.location.href).href;
  const yasgui = new Gui(box, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: null,
    yasqe: { value: defaultQuery, autocompleters: ["prefixes", "variables"], resizeable: true },
    yasr: { prefixes: prefixes, defaultPlugin: "table" },
  });
  window.aikgYasgui = yasgui;
  const tab = yasgui.getTab();
  const select = document.getElementById("example");
  select.addEventListener("change", function () {
    const ex = examples[Number(select.value)];
    if (!ex) return;
    const current = yasgui.getTab();
    current.setQuery(ex.query);
    current.getYasqe().focus();
  });
  if (tab && tab.getYasqe()) tab.getYasqe().addPrefixes(prefixes);
})();
