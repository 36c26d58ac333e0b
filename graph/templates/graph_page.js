// The graph page: vis-network fed from the JSON block, with search, label filters, a
// year range, colour by label or community, readable labels and neighbour highlighting.
// Every change of what a node looks like goes through paint(), which derives colour,
// font and visibility from one state, so the controls never undo each other.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("cg-data").textContent);
  const DIM = "#e4e4e4";
  const DIM_BORDER = "#d2d2d2";
  const DIM_TEXT = "#c8c8c8";
  const TEXT = "#343434";
  const baseFont = data.options.nodes.font.size;

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
  // What each node and edge looks like when nothing is dimmed, apart from the DataSets
  // (whose items updates change).
  const looks = data.nodes.map(function (n) {
    return {id: n.id, kind: n.kind, top: n.top, year: n.year, color: n.color,
            communityColor: n.communityColor};
  });
  const edgeColour = {};
  data.edges.forEach(function (edge, i) {
    edge.id = i;
    edgeColour[i] = edge.color;
  });

  const state = {
    colourBy: "label",
    hiddenKinds: {},
    yearFrom: -Infinity,
    yearTo: Infinity,
    focus: null, // the node whose neighbourhood is highlighted, or null
    selected: null, // the clicked node, which a hover does not replace
    fontScale: null, // the zoom the top labels were last sized for
  };

  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const container = document.getElementById("cg-graph");
  const network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  const status = document.getElementById("cg-status");
  window.citegraph = {network: network, nodes: nodes, edges: edges, state: state};

  // Labels. vis-network drops a label once it would be smaller than drawThreshold on
  // screen, which at the zoom that fits a few hundred nodes is every label. Its
  // `scaling.label` only rescales labels by a node's `value`, which the page does not
  // use (sizes are computed in Python), so instead the biggest nodes (`top`) get a font
  // that grows as the view shrinks and stays data.readablePx on screen; the others keep
  // the base font and appear as the reader zooms in. Sizing ~30 fonts on a zoom is cheap
  // at any graph size.
  function topFontSize(scale) {
    return Math.max(baseFont, data.readablePx / scale);
  }
  function font(node) {
    const size = node.top && state.fontScale ? topFontSize(state.fontScale) : baseFont;
    return {size: size, color: TEXT};
  }

  function colour(node) {
    return state.colourBy === "community" ? node.communityColor : node.color;
  }
  function outOfRange(node) {
    return node.year !== null && (node.year < state.yearFrom || node.year > state.yearTo);
  }
  function neighbourhood() {
    if (state.focus === null) return null;
    return new Set([state.focus].concat(network.getConnectedNodes(state.focus)));
  }

  // What the data says a node looks like (visibility, colour, label size) lives in the
  // DataSet; dimming is a passing view of it, set on vis-network's drawn nodes directly:
  // a DataSet update costs about twice as much and a hover must answer at once. A
  // DataSet update redraws a node from its data, so it forgets the dim (`dimmed`).
  const dimmed = {};
  const dimmedEdges = {};
  function paint() {
    nodes.update(looks.map(function (node) {
      delete dimmed[node.id];
      return {
        id: node.id,
        hidden: Boolean(state.hiddenKinds[node.kind]) || outOfRange(node),
        color: colour(node),
        font: font(node),
      };
    }));
    dim();
  }
  function dim() {
    const lit = neighbourhood();
    const drawn = network.body.nodes;
    for (const node of looks) {
      const off = lit !== null && !lit.has(node.id);
      if (off === Boolean(dimmed[node.id])) continue;
      dimmed[node.id] = off;
      drawn[node.id].setOptions(off
        ? {color: {background: DIM, border: DIM_BORDER}, font: {color: DIM_TEXT}}
        : {color: colour(node), font: {color: TEXT}});
    }
    const lines = network.body.edges;
    for (const edge of data.edges) {
      const off = lit !== null && edge.from !== state.focus && edge.to !== state.focus;
      if (off === Boolean(dimmedEdges[edge.id])) continue;
      dimmedEdges[edge.id] = off;
      lines[edge.id].setOptions({color: off ? {color: DIM, highlight: DIM} : edgeColour[edge.id]});
    }
    network.redraw();
  }
  function sizeTopLabels() {
    const scale = network.getScale();
    if (state.fontScale !== null && Math.abs(scale - state.fontScale) < 1e-3 * scale) return;
    state.fontScale = scale;
    const top = looks.filter(function (n) { return n.top; });
    nodes.update(top.map(function (node) {
      delete dimmed[node.id];
      return {id: node.id, font: font(node)};
    }));
    if (state.focus !== null) dim();
  }
  // Any change of zoom (wheel, pinch, fit, focus animations) ends in a redraw.
  network.on("afterDrawing", sizeTopLabels);

  function highlight(id) {
    if (state.focus === id) return;
    state.focus = id;
    dim();
  }
  network.on("selectNode", function (p) { state.selected = p.nodes[0]; highlight(state.selected); });
  network.on("deselectNode", function (p) {
    state.selected = p.nodes.length ? p.nodes[0] : null;
    highlight(state.selected);
  });
  if (data.hoverHighlight) {
    network.on("hoverNode", function (p) { if (state.selected === null) highlight(p.node); });
    network.on("blurNode", function () { if (state.selected === null) highlight(null); });
  }

  function ready() {
    if (data.freeze) network.setOptions({physics: false});
    status.textContent = "";
    sizeTopLabels();
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
      state.hiddenKinds[box.dataset.label] = !box.checked;
      paint();
    });
  }

  // Years: works outside the range are hidden; nodes without a year (theories, people,
  // places, works of unknown date) stay, since they are not dated, not out of range.
  const from = document.getElementById("cg-year-from");
  const to = document.getElementById("cg-year-to");
  if (from && to) {
    const text = document.getElementById("cg-year-text");
    const years = function (event) {
      let low = Number(from.value);
      let high = Number(to.value);
      if (low > high) {
        if (event.target === from) to.value = String(high = low);
        else from.value = String(low = high);
      }
      state.yearFrom = low;
      state.yearTo = high;
      text.textContent = low + "–" + high;
      paint();
    };
    from.addEventListener("input", years);
    to.addEventListener("input", years);
  }

  const colourBy = document.getElementById("cg-colour");
  if (colourBy) {
    colourBy.addEventListener("change", function () {
      state.colourBy = colourBy.value;
      paint();
    });
  }

  const input = document.getElementById("cg-search");
  const results = document.getElementById("cg-results");
  function choose(id) {
    network.selectNodes([id]);
    state.selected = id;
    highlight(id);
    network.focus(id, {scale: 1.3, animation: {duration: 300}});
  }
  function show(id) {
    choose(id);
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
    if (found.length) choose(found[0][1].id);
  }
  document.getElementById("cg-find").addEventListener("click", find);
  input.addEventListener("keydown", function (e) { if (e.key === "Enter") find(); });
})();
