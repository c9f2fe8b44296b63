// The graph view: asks /graph/neighbourhood for a bounded neighbourhood and draws
// it with cytoscape.js, coloured as in the GEXF export. Clicking (or Enter on the
// list below) opens a node's page; "More" asks for twice as many nodes.
(function () {
  "use strict";
  const box = document.getElementById("graph");
  const form = document.getElementById("graph-controls");
  const status = document.getElementById("graph-status");
  const list = document.getElementById("graph-nodes");
  const more = document.getElementById("more");
  const limitInput = document.getElementById("limit");
  if (!box || !form || typeof cytoscape !== "function") return;
  let cy = null;

  function query() {
    const params = new URLSearchParams(new FormData(form));
    return "/graph/neighbourhood?" + params.toString();
  }

  function draw(data) {
    const elements = [];
    data.nodes.forEach(function (n) {
      elements.push({ data: { id: n.id, label: n.name, color: n.color, type: n.type,
                              size: 18 + Math.min(30, Math.sqrt(n.degree) * 3), center: n.hop === 0,
                              hop: n.hop } });
    });
    data.edges.forEach(function (e) {
      elements.push({ data: { id: e.id, source: e.source, target: e.target, label: e.predicate } });
    });
    if (cy) cy.destroy();
    cy = cytoscape({
      container: box,
      elements: elements,
      style: [
        { selector: "node", style: { "background-color": "data(color)", label: "data(label)", width: "data(size)",
                                     height: "data(size)", "font-size": 10, "text-valign": "bottom", "text-margin-y": 3,
                                     "text-wrap": "ellipsis", "text-max-width": 140 } },
        { selector: "node[?center]", style: { "border-width": 3, "border-color": "#222" } },
        { selector: "edge", style: { width: 1.5, "line-color": "#aaa", "target-arrow-color": "#aaa",
                                     "target-arrow-shape": "triangle", "curve-style": "bezier",
                                     label: "data(label)", "font-size": 8, color: "#666", "text-rotation": "autorotate" } },
      ],
      // rings: the entity in the middle, its neighbours around it, theirs outside
      layout: { name: "concentric", animate: false, padding: 20, minNodeSpacing: 28, startAngle: 0,
                concentric: function (n) { return 3 - n.data("hop"); }, levelWidth: function () { return 1; } },
      wheelSensitivity: 0.3,
    });
    cy.on("tap", "node", function (ev) { window.location.href = "/e/" + ev.target.id(); });
    window.aikgGraph = cy;
    list.innerHTML = "";
    data.nodes.forEach(function (n) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = "/e/" + n.id;
      a.textContent = n.name;
      const t = document.createElement("span");
      t.className = "type";
      t.style.setProperty("--c", n.color);
      t.textContent = n.type;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(t);
      list.appendChild(li);
    });
    status.textContent = data.nodes.length + " nodes, " + data.edges.length + " relations" +
      (data.truncated ? " (capped at " + data.limit + "; More draws more)" : "");
    more.hidden = !data.truncated;
    box.dataset.drawn = String(data.nodes.length);
  }

  function load() {
    status.textContent = "Loading…";
    fetch(query(), { headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) return r.json().then(function (b) { throw new Error(b.error ? b.error.message : r.statusText); });
        return r.json();
      })
      .then(draw)
      .catch(function (err) { status.textContent = "Could not load the neighbourhood: " + err.message; });
  }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); load(); });
  more.addEventListener("click", function () {
    limitInput.value = String(Math.min(500, Number(limitInput.value || 60) * 2));
    load();
  });
  load();
})();
