(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("pkg-data").textContent);
  var ui = data.ui, lang = data.lang, other = lang === "zh" ? "en" : "zh";
  var byKey = function (list) { var m = {}; list.forEach(function (x) { m[x.key] = x; }); return m; };
  var cats = byKey(data.categories), kinds = byKey(data.edgeKinds), filters = byKey(data.filters);
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
      tr.appendChild(el("td", r[0]));
      tr.appendChild(el("td", r[1], "num"));
      t.appendChild(tr);
    });
    return t;
  };
  var nodeById = {};
  data.nodes.forEach(function (n) { nodeById[n.id] = n; });

  // ---- what is shown: the filter, the collective switch, and the figures of each shown node
  var filterKey = "", showCollective = true, shown = {}, live = {};
  var edgeWeight = function (e) {
    return filterKey !== "" && e.filters !== null ? (e.filters[filterKey] || 0) : e.w;
  };
  var narrowed = function () { return filterKey !== "" || !showCollective; };
  // rows of figures for a node: for what is shown (when the view is narrowed), then whole-plan ones
  var figureBlocks = function (n) {
    var blocks = [], plain = n.info.map(function (r) { return [lang === "zh" ? r[0] : r[1], r[2]]; });
    if (data.live && narrowed() && live[n.id]) {
      var f = live[n.id], head = ui.in_view + (filterKey !== "" ? " · " + filters[filterKey].label : "");
      blocks.push([head, [[data.live[0], f.load], [data.live[1], f.degree], [data.live[2], f.weight]]]);
      if (plain.length) blocks.push([ui.whole_plan, plain]);
    } else if (plain.length) {
      blocks.push([null, plain]);
    }
    return blocks;
  };
  var appendFigures = function (parent, n, headTag) {
    figureBlocks(n).forEach(function (b) {
      if (b[0]) parent.appendChild(el(headTag, b[0], "fig-head"));
      parent.appendChild(infoTable(b[1]));
    });
  };
  var nodeTip = function (n) {
    var d = el("div");
    d.appendChild(el("div", n[lang], "t"));
    if (n[other] !== n[lang]) d.appendChild(el("div", n[other]));
    if (n.cat && cats[n.cat]) d.appendChild(el("div", cats[n.cat].label, "muted"));
    appendFigures(d, n, "div");
    return d;
  };
  var edgeTip = function (e) {
    var d = el("div");
    d.appendChild(el("div", nodeById[e.from][lang] + " — " + nodeById[e.to][lang], "t"));
    if (e.info.length) {
      var w = edgeWeight(e);
      d.appendChild(infoTable(e.info.map(function (r) {
        return [lang === "zh" ? r[0] : r[1], r[2] === e.w ? w : r[2]];
      })));
    }
    return d;
  };
  var colorOf = function (n) { return n.cat && cats[n.cat] ? cats[n.cat].color : "#999999"; };
  var edgeColor = function (e) { return e.kind && kinds[e.kind] ? kinds[e.kind].color : "#8896AB"; };
  var width = function (w) {
    return data.maxWeight > 1 ? 1 + 6 * Math.sqrt(Math.max(w, 0) / data.maxWeight) : 1.5;
  };
  var opacity = function (w) {
    return data.maxWeight > 1 ? 0.25 + 0.5 * Math.sqrt(Math.max(w, 0) / data.maxWeight) : 0.6;
  };
  var GREY = "#D8DDE3";
  var visNodes = data.nodes.map(function (n) {
    return {
      id: n.id, label: n.label, x: n.x, y: n.y, size: n.size,
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
    // labels sit on a pale box, so edges drawn under them do not run through the text
    nodes: { borderWidth: 1, font: { size: data.fontSize, face: getComputedStyle(document.body).fontFamily,
             color: "#1b1f24", strokeWidth: 0, background: "rgba(255,255,255,0.86)", multi: false } },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 1, arrows: { to: { enabled: data.directed, scaleFactor: 0.5 } } }
  };
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  var fitAll = function () {  // fit the shown nodes and their labels, not the nodes alone
    var b = null;
    data.nodes.forEach(function (n) {
      if (!shown[n.id]) return;
      var box = [n.x - n.hw, n.x + n.hw, n.y - n.size, n.y + n.size + n.lh];
      b = b === null ? box : [Math.min(b[0], box[0]), Math.max(b[1], box[1]), Math.min(b[2], box[2]), Math.max(b[3], box[3])];
    });
    if (b === null) b = [data.bounds.minX, data.bounds.maxX, data.bounds.minY, data.bounds.maxY];
    var margin = 24;
    var scale = Math.min((container.clientWidth - 2 * margin) / Math.max(1, b[1] - b[0]),
                         (container.clientHeight - 2 * margin) / Math.max(1, b[3] - b[2]));
    network.moveTo({ position: { x: (b[0] + b[1]) / 2, y: (b[2] + b[3]) / 2 },
                     scale: Math.min(scale, 1.6), animation: false });
  };

  var visible = function () {
    var edgeUpdates = [], count = 0;
    shown = {}; live = {};
    data.nodes.forEach(function (n) {
      var ok = (filterKey === "" || n.filters === null || n.filters.indexOf(filterKey) >= 0) &&
               (showCollective || !n.collective);
      shown[n.id] = ok;
      if (ok) count++;
      var load = filterKey !== "" && n.fload !== null ? (n.fload[filterKey] || 0) : n.load;
      live[n.id] = { load: load, degree: 0, weight: 0 };
    });
    data.edges.forEach(function (e) {
      var w = edgeWeight(e);
      var ok = w > 0 && shown[e.from] && shown[e.to];
      if (ok) {
        [e.from, e.to].forEach(function (id) { live[id].degree += 1; live[id].weight += w; });
      }
      edgeUpdates.push({ id: e.id, hidden: !ok, width: width(w), title: edgeTip(e) });
    });
    nodes.update(data.nodes.map(function (n) { return { id: n.id, hidden: !shown[n.id], title: nodeTip(n) }; }));
    edges.update(edgeUpdates);
    document.getElementById("shown").textContent = ui.shown + ": " + count;
    document.body.setAttribute("data-shown", String(count));
  };
  var controls = document.getElementById("controls");
  var refresh = function () { reset(); visible(); fitAll(); };
  if (data.filters.length) {
    var lab = el("label", data.filterLabel + " ");
    var sel = el("select");
    sel.id = "filter";
    var all = el("option", ui.all); all.value = ""; sel.appendChild(all);
    data.filters.forEach(function (f) { var o = el("option", f.label); o.value = f.key; sel.appendChild(o); });
    sel.addEventListener("change", function () { filterKey = sel.value; refresh(); });
    lab.appendChild(sel);
    controls.appendChild(lab);
  }
  if (data.collectiveSwitch) {
    var cl = el("label"), cb = el("input");
    cb.type = "checkbox"; cb.id = "collective"; cb.checked = true;
    cb.addEventListener("change", function () { showCollective = cb.checked; refresh(); });
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

  // ---- click: highlight what a node is linked to, list it in the panel by kind of link
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
    var neigh = {}, groups = {};
    network.getConnectedEdges(id).forEach(function (eid) {
      if (edges.get(eid).hidden) return;
      var src = data.edges[Number(eid.slice(1))];
      var o = src.from === id ? src.to : src.from, k = src.kind || "";
      neigh[o] = true;
      groups[k] = groups[k] || {};
      groups[k][o] = (groups[k][o] || 0) + edgeWeight(src);
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
    appendFigures(panel, n, "h4");
    var order = data.edgeKinds.map(function (k) { return k.key; }).concat([""]);
    order.forEach(function (k) {
      if (!groups[k]) return;
      var w = groups[k];
      var ids = Object.keys(w).sort(function (a, b) {
        return (w[b] - w[a]) || nodeById[a][lang].localeCompare(nodeById[b][lang], "en", { numeric: true }) ||
               (a < b ? -1 : 1);
      });
      var head = kinds[k] ? kinds[k].panel : ui.neighbours;
      panel.appendChild(el("h3", head + " (" + ids.length + ")"));
      var ol = el("ol", null, "neighbours");
      ol.setAttribute("data-kind", k);
      ids.forEach(function (o) {
        var li = el("li", nodeById[o][lang] + " · " + w[o]);
        li.setAttribute("data-node", o);
        li.addEventListener("click", function () { network.selectNodes([o]); select(o); });
        ol.appendChild(li);
      });
      panel.appendChild(ol);
    });
    showPanel(true);
    document.body.setAttribute("data-selected", id);
  };
  network.on("click", function (p) {
    if (p.nodes.length) select(p.nodes[0]); else reset();
  });

  visible();
  window.policykgView = { network: network, nodes: nodes, edges: edges, data: data, select: select, reset: reset,
                          live: function () { return live; } };
  network.once("afterDrawing", function () {
    window.policykgReadyAt = performance.now();
    document.body.setAttribute("data-ready", "1");
  });
  fitAll();
  // a link such as unit-task.html#select=<node id> (from the outline) opens with that node selected
  var wanted = /^#select=(.+)$/.exec(window.location.hash);
  if (wanted) {
    var wantedId = decodeURIComponent(wanted[1]);
    if (nodeById[wantedId]) { network.selectNodes([wantedId]); select(wantedId); }
  }
  network.redraw();
})();
