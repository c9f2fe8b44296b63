// Type-ahead for the search box: suggestions from /entities?q= (the same index
// as the search results), as an ARIA combobox. Without JavaScript the form
// submits and the server renders the results.
(function () {
  "use strict";
  const input = document.getElementById("q");
  const list = document.getElementById("suggestions");
  const typeSelect = document.getElementById("type");
  if (!input || !list) return;
  const colors = JSON.parse(list.dataset.colors || "{}");
  let active = -1;
  let items = [];
  let pending = null;
  let timer = null;

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
    items = [];
  }

  function looksLikeQuestion(text) {
    return /\?\s*$/.test(text) || /^(who|what|which|where|whom|when|how)\b/i.test(text);
  }

  function render(hits) {
    list.innerHTML = "";
    items = hits;
    hits.forEach(function (hit, i) {
      const li = document.createElement("li");
      li.id = "sugg-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      const link = document.createElement("a");
      link.href = "/e/" + hit.id;
      link.tabIndex = -1;
      link.textContent = hit.name;
      const badge = document.createElement("span");
      badge.className = "type";
      if (colors[hit.type]) badge.style.setProperty("--c", colors[hit.type]);
      badge.textContent = hit.type;
      li.appendChild(link);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(badge);
      if (hit.matched && hit.matched !== hit.name) {
        const m = document.createElement("span");
        m.className = "matched";
        m.textContent = " matched “" + hit.matched + "”";
        li.appendChild(m);
      }
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); window.location.href = link.href; });
      list.appendChild(li);
    });
    list.hidden = hits.length === 0;
    input.setAttribute("aria-expanded", hits.length ? "true" : "false");
  }

  function highlight(i) {
    const options = list.querySelectorAll("[role=option]");
    options.forEach(function (o, j) { o.setAttribute("aria-selected", j === i ? "true" : "false"); });
    active = i;
    if (i >= 0 && options[i]) input.setAttribute("aria-activedescendant", options[i].id);
    else input.removeAttribute("aria-activedescendant");
  }

  function fetchSuggestions() {
    const text = input.value.trim();
    if (text.length < 2 || looksLikeQuestion(text)) { close(); return; }
    const params = new URLSearchParams({ q: text, limit: "8" });
    if (typeSelect && typeSelect.value) params.set("type", typeSelect.value);
    if (pending) pending.abort();
    pending = new AbortController();
    fetch("/entities?" + params.toString(), { signal: pending.signal, headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (page) { if (input.value.trim() === text) render(page.items || []); })
      .catch(function (err) { if (err.name !== "AbortError") close(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 120);
  });
  input.addEventListener("keydown", function (ev) {
    if (list.hidden) return;
    if (ev.key === "ArrowDown") { ev.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); highlight(Math.max(active - 1, -1)); }
    else if (ev.key === "Escape") { ev.preventDefault(); close(); }
    else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); window.location.href = "/e/" + items[active].id; }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
  if (typeSelect) typeSelect.addEventListener("change", fetchSuggestions);
})();
