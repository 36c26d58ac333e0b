(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("cg-data").textContent);

  function tip(rows) {
    const box = document.createElement("div");
    box.className = "cg-tip";
    rows.forEach(function (row, i) {
      const line = document.createElement(i === 0 ? "strong" : "div");
      const head = document.createElement("span");
      head.className = "k";
      head.textContent = row[0];
      line.appendChild(head);
      line.appendChild(document.createTextNode(row[1]));
      box.appendChild(line);
    });
    return box;
  }
  for (const item of data.nodes.concat(data.edges)) {
    item.title = tip(item.tip);
    delete item.tip;
  }

  const byLabel = {};
  for (const node of data.nodes) {
    (byLabel[node.kind] = byLabel[node.kind] || []).push(node.id);
  }
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const container = document.getElementById("cg-graph");
  const network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  const status = document.getElementById("cg-status");
  window.citegraph = {network: network, nodes: nodes, edges: edges};

  function ready() {
    if (data.freeze) network.setOptions({physics: false});
    status.textContent = "";
    window.citegraphReady = true;
  }
  if (data.nodes.length) {
    network.on("stabilizationProgress", function (p) {
      status.textContent = "laying out " + Math.round(100 * p.iterations / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", ready);
  } else {
    ready();
  }

  for (const box of document.querySelectorAll("#cg-legend input[data-label]")) {
    box.addEventListener("change", function () {
      const hidden = !box.checked;
      nodes.update((byLabel[box.dataset.label] || []).map(function (id) {
        return {id: id, hidden: hidden};
      }));
    });
  }

  const input = document.getElementById("cg-search");
  const results = document.getElementById("cg-results");
  function show(id) {
    network.selectNodes([id]);
    network.focus(id, {scale: 1.3, animation: {duration: 300}});
    results.replaceChildren();
  }
  function rank(node, query) {
    const name = node.name.toLowerCase();
    const label = node.label.toLowerCase();
    if (name === query || label === query) return 0;
    if (name.startsWith(query) || label.startsWith(query)) return 1;
    if (name.includes(query) || label.includes(query)) return 2;
    return -1;
  }
  function find() {
    const query = input.value.trim().toLowerCase();
    results.replaceChildren();
    if (!query) { status.textContent = ""; return; }
    const found = [];
    for (const node of nodes.get({filter: function (n) { return !n.hidden; }})) {
      const r = rank(node, query);
      if (r >= 0) found.push([r, node]);
    }
    found.sort(function (a, b) { return a[0] - b[0] || a[1].name.localeCompare(b[1].name); });
    status.textContent = found.length ? found.length + " found" : "nothing found";
    for (const [, node] of found.slice(0, 20)) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = node.kind + ": " + node.name;
      button.addEventListener("click", function () { show(node.id); });
      item.appendChild(button);
      results.appendChild(item);
    }
    if (found.length) {
      network.selectNodes([found[0][1].id]);
      network.focus(found[0][1].id, {scale: 1.3, animation: {duration: 300}});
    }
  }
  document.getElementById("cg-find").addEventListener("click", find);
  input.addEventListener("keydown", function (e) { if (e.key === "Enter") find(); });
})();
