
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("pkg-data").textContent);
  var ui = data.ui, lang = data.lang, other = lang === "zh" ? "en" : "zh";
  var byKey = function (list) { var m = {}; list.forEach(function (x) { m[x.key] = x; }); return m; };
  var cats = byKey(data.categories), kinds = byKey(data.edgeKinds);
  var el = function (tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  };
  var infoTable = function (rows) {
    var t = el("table");
    rows.forEach(function (r) {
      var tr = el("tr");
      tr.appendChild(el("td", lang === "zh" ? r[0] : r[1]));
      tr.appendChild(el("td", r[2]));
      t.appendChild(tr);
    });
    return t;
  };
  var nodeTip = function (n) {
    var d = el("div");
    d.appendChild(el("div", n[lang], "t"));
    if (n[other] !== n[lang]) d.appendChild(el("div", n[other]));
    if (n.cat && cats[n.cat]) d.appendChild(el("div", cats[n.cat].label));
    if (n.info.length) d.appendChild(infoTable(n.info));
    return d;
  };
  var nodeById = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });
  var edgeTip = function (e) {
    var d = el("div");
    d.appendChild(el("div", nodeById[e.from][lang] + " — " + nodeById[e.to][lang], "t"));
    if (e.info.length) d.appendChild(infoTable(e.info));
    return d;
  };
  var colorOf = function (n) { return n.cat && cats[n.cat] ? cats[n.cat].color : "#999999"; };
  var edgeColor = function (e) { return e.kind && kinds[e.kind] ? kinds[e.kind].color : "#8896AB"; };
  var width = function (w) {
    return data.maxWeight > 1 ? 1 + 7 * Math.sqrt(Math.max(w, 0) / data.maxWeight) : 1.5;
  };
  var opacity = function (w) {
    return data.maxWeight > 1 ? 0.3 + 0.6 * Math.sqrt(Math.max(w, 0) / data.maxWeight) : 0.7;
  };
  var GREY = "#D8DDE3";
  var visNodes = data.nodes.map(function (n) {
    return {
      id: n.id, label: n[lang], x: n.x, y: n.y, size: n.size,
      shape: n.cat && cats[n.cat] ? cats[n.cat].shape : "dot",
      color: { background: colorOf(n), border: "#333333", highlight: { background: colorOf(n), border: "#000000" },
               hover: { background: colorOf(n), border: "#000000" } },
      title: nodeTip(n)
    };
  });
  var visEdges = data.edges.map(function (e) {
    return {
      id: e.id, from: e.from, to: e.to, width: width(e.w),
      color: { color: edgeColor(e), opacity: opacity(e.w), highlight: "#1b1f24", hover: "#1b1f24" },
      dashes: !!(e.kind && kinds[e.kind] && kinds[e.kind].dashes),
      title: edgeTip(e)
    };
  });
  var nodes = new vis.DataSet(visNodes), edges = new vis.DataSet(visEdges);
  var options = {
    physics: { enabled: false },
    layout: { randomSeed: 1, improvedLayout: false },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: data.nodes.length > 500,
                   hideEdgesOnZoom: data.nodes.length > 500 },
    nodes: { borderWidth: 1, font: { size: data.fontSize, face: getComputedStyle(document.body).fontFamily,
             color: "#1b1f24", strokeWidth: 4, strokeColor: "#ffffff" } },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 1, arrows: { to: { enabled: data.directed, scaleFactor: 0.5 } } }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  var fitAll = function () {  // fit nodes and their labels, not the nodes alone
    var b = data.bounds, margin = 24;
    var scale = Math.min((container.clientWidth - 2 * margin) / Math.max(1, b.maxX - b.minX),
                         (container.clientHeight - 2 * margin) / Math.max(1, b.maxY - b.minY));
    network.moveTo({ position: { x: (b.minX + b.maxX) / 2, y: (b.minY + b.maxY) / 2 },
                     scale: Math.min(scale, 2), animation: false });
  };

  // ---- filter, collective switch
  var filterKey = "", showCollective = true;
  var visible = function () {
    var shownNodes = {}, edgeUpdates = [], nodeUpdates = [];
    data.nodes.forEach(function (n) {
      var ok = (filterKey === "" || n.filters === null || n.filters.indexOf(filterKey) >= 0) &&
               (showCollective || !n.collective);
      shownNodes[n.id] = ok;
      nodeUpdates.push({ id: n.id, hidden: !ok });
    });
    data.edges.forEach(function (e) {
      var w = e.w;
      if (filterKey !== "" && e.filters !== null) w = e.filters[filterKey] || 0;
      var ok = w > 0 && shownNodes[e.from] && shownNodes[e.to];
      edgeUpdates.push({ id: e.id, hidden: !ok, width: width(w) });
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    var count = 0;
    for (var k in shownNodes) if (shownNodes[k]) count++;
    document.getElementById("shown").textContent = ui.shown + ": " + count;
    document.body.setAttribute("data-shown", String(count));
  };
  var controls = document.getElementById("controls");
  if (data.filters.length) {
    var lab = el("label", data.filterLabel + " ");
    var sel = el("select");
    sel.id = "filter";
    var all = el("option", ui.all); all.value = ""; sel.appendChild(all);
    data.filters.forEach(function (f) { var o = el("option", f.label); o.value = f.key; sel.appendChild(o); });
    sel.addEventListener("change", function () { filterKey = sel.value; reset(); visible(); });
    lab.appendChild(sel);
    controls.appendChild(lab);
  }
  if (data.collectiveSwitch) {
    var cl = el("label"), cb = el("input");
    cb.type = "checkbox"; cb.id = "collective"; cb.checked = true;
    cb.addEventListener("change", function () { showCollective = cb.checked; reset(); visible(); });
    cl.appendChild(cb); cl.appendChild(document.createTextNode(" " + ui.collective));
    controls.appendChild(cl);
  }
  controls.appendChild(el("span", "", "muted")).id = "shown";
  controls.appendChild(el("span", ui.hint, "muted"));

  // ---- legend
  var legend = document.getElementById("legend");
  legend.appendChild(el("strong", ui.legend));
  var present = {};
  data.nodes.forEach(function (n) { present[n.cat] = true; });
  data.categories.forEach(function (c) {
    if (!present[c.key]) return;
    var s = el("span"), sw = el("span", null, "sw");
    sw.style.background = c.color;
    s.appendChild(sw); s.appendChild(document.createTextNode(c.label));
    legend.appendChild(s);
  });
  data.edgeKinds.forEach(function (k) {
    var s = el("span"), ln = el("span", null, k.dashes ? "ln dash" : "ln");
    ln.style.borderTopColor = k.color;
    s.appendChild(ln); s.appendChild(document.createTextNode(k.label));
    legend.appendChild(s);
  });

  // ---- click: highlight neighbours, list them in the panel
  var panel = document.getElementById("panel");
  var showPanel = function (on) {
    if (panel.hidden === !on) return;
    panel.hidden = !on;
    network.setSize("100%", "100%");
    fitAll();
  };
  var reset = function () {
    showPanel(false);
    nodes.update(data.nodes.map(function (n) {
      return { id: n.id, color: { background: colorOf(n), border: "#333333" }, font: { color: "#1b1f24" } };
    }));
    edges.update(data.edges.map(function (e) { return { id: e.id, color: { color: edgeColor(e), opacity: opacity(e.w) } }; }));
    document.body.removeAttribute("data-selected");
  };
  var select = function (id) {
    var n = nodeById[id];
    var neigh = {}, weights = {};
    network.getConnectedEdges(id).forEach(function (eid) {
      var e = edges.get(eid);
      if (e.hidden) return;
      var o = e.from === id ? e.to : e.from;
      neigh[o] = true;
      var src = data.edges[Number(eid.slice(1))];
      var w = filterKey !== "" && src.filters !== null ? (src.filters[filterKey] || 0) : src.w;
      weights[o] = (weights[o] || 0) + w;
    });
    nodes.update(data.nodes.map(function (m) {
      var on = m.id === id || neigh[m.id];
      return { id: m.id, color: { background: on ? colorOf(m) : GREY, border: on ? "#333333" : GREY },
               font: { color: on ? "#1b1f24" : "#9aa4ae" } };
    }));
    edges.update(data.edges.map(function (e) {
      var on = e.from === id || e.to === id;
      return { id: e.id, color: { color: on ? "#1b1f24" : GREY, opacity: on ? 0.8 : 0.4 } };
    }));
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    var close = el("button", ui.close); close.type = "button";
    close.addEventListener("click", function () { network.unselectAll(); reset(); });
    panel.appendChild(close);
    panel.appendChild(el("h2", n[lang]));
    if (n[other] !== n[lang]) panel.appendChild(el("p", n[other], "en"));
    if (n.href) {
      var a = el("a", ui.sheet); a.setAttribute("href", n.href); panel.appendChild(a);
    }
    if (n.info.length) panel.appendChild(infoTable(n.info));
    var ids = Object.keys(neigh).sort(function (a, b) {
      return (weights[b] - weights[a]) || (nodeById[a][lang] < nodeById[b][lang] ? -1 : 1);
    });
    panel.appendChild(el("h3", ui.neighbours + " (" + ids.length + ")"));
    var ol = el("ol");
    ol.id = "neighbours";
    ids.forEach(function (o) {
      var li = el("li", nodeById[o][lang] + " · " + weights[o]);
      li.setAttribute("data-node", o);
      li.addEventListener("click", function () { network.selectNodes([o]); select(o); });
      ol.appendChild(li);
    });
    panel.appendChild(ol);
    showPanel(true);
    document.body.setAttribute("data-selected", id);
  };
  network.on("click", function (p) {
    if (p.nodes.length) select(p.nodes[0]); else reset();
  });

  visible();
  window.policykgView = { network: network, nodes: nodes, edges: edges, data: data, select: select, reset: reset };
  network.once("afterDrawing", function () {
    window.policykgReadyAt = performance.now();
    document.body.setAttribute("data-ready", "1");
  });
  fitAll();
  network.redraw();
})();
