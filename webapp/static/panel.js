/* conflictmap panel: one collapsible panel for layers, legend and the list of the events in
 * view (synced with the map and the time window: click = fly + popup, hover = highlight).
 * Event text reaches the page through textContent only. */
(function () {
  "use strict";

  var CM = window.ConflictMap;
  var el = CM.el;
  var ROWS = 150;  // rows of the list drawn at once ("show more" adds as many)

  function symbolCanvas(t, hollow) {
    var c = el("canvas", "cm-symbol");
    c.width = 18; c.height = 18;
    var ctx = c.getContext("2d");
    ctx.beginPath();
    CM.shapePath(ctx, t.shape, 9, 9, 5.5);
    ctx.globalAlpha = hollow ? 0.2 : 0.9;
    ctx.fillStyle = t.color;
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.lineWidth = hollow ? 1.6 : 1;
    ctx.strokeStyle = hollow ? t.color : "#222";
    if (hollow) ctx.setLineDash([2, 2]);
    ctx.stroke();
    return c;
  }
  CM.symbolCanvas = symbolCanvas;

  CM.addPanel = function (viewer) {
    var map = viewer.map, ui = {}, counts = {}, checks = {}, overlayChecks = {};
    var small = map.getSize().x < 600 || map.getSize().y < 420;
    var C = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () {
        var box = el("div", "leaflet-control cm-control cm-panel");
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        var head = el("div", "cm-panel-head");
        ui.toggle = el("button", "cm-panel-toggle", "");
        ui.toggle.type = "button";
        ui.tabs = {};
        [["layers", "Layers"], ["events", "Events"]].forEach(function (t) {
          var b = el("button", "cm-tab cm-tab-" + t[0], t[1]);
          b.type = "button";
          b.setAttribute("data-tab", t[0]);
          b.addEventListener("click", function () { show(t[0]); });
          ui.tabs[t[0]] = b;
          head.appendChild(b);
        });
        head.appendChild(ui.toggle);
        box.appendChild(head);
        ui.body = el("div", "cm-panel-body");
        // layers and legend, one list: a checkbox, the symbol, the label and the count
        ui.layers = el("div", "cm-panel-layers cm-legend");
        ui.layers.appendChild(el("h4", null, "Event types"));
        var ul = el("ul");
        viewer.cfg.types.forEach(function (t) {
          var li = el("li");
          li.setAttribute("data-type", t.id);
          var lab = el("label", "cm-layer");
          var cb = el("input");
          cb.type = "checkbox";
          cb.checked = true;
          cb.setAttribute("data-type", t.id);
          cb.addEventListener("change", function () { setLayer(viewer.layers[t.id], cb.checked); });
          checks[t.id] = cb;
          lab.appendChild(cb);
          lab.appendChild(symbolCanvas(t, false));
          lab.appendChild(el("span", "cm-legend-label", t.label));
          counts[t.id] = el("span", "cm-legend-count", "");
          lab.appendChild(counts[t.id]);
          li.appendChild(lab);
          ul.appendChild(li);
        });
        ui.layers.appendChild(ul);
        ui.layers.appendChild(el("h4", null, "Map"));
        ui.overlays = el("ul", "cm-overlays");
        ui.layers.appendChild(ui.overlays);
        ui.bases = el("div", "cm-bases");
        ui.layers.appendChild(ui.bases);
        ui.layers.appendChild(el("h4", null, "Location precision"));
        var ex = { color: "#555", shape: "circle" };
        var pl = el("ul");
        viewer.cfg.precision_key.forEach(function (k) {
          var li = el("li");
          li.setAttribute("data-precision", k.kind);
          if (k.kind === "area") li.appendChild(el("span", "cm-area-swatch"));
          else li.appendChild(symbolCanvas(ex, k.kind !== "point"));
          li.appendChild(el("span", null, k.label));
          pl.appendChild(li);
        });
        var faint = el("li");
        faint.setAttribute("data-precision", "assumed");
        faint.appendChild(el("span", "cm-assumed-swatch"));
        faint.appendChild(el("span", null, "fainter: date or place assumed"));
        pl.appendChild(faint);
        ui.layers.appendChild(pl);
        ui.body.appendChild(ui.layers);
        // the events in view
        ui.events = el("div", "cm-panel-events");
        ui.events.setAttribute("role", "list");
        ui.body.appendChild(ui.events);
        box.appendChild(ui.body);
        ui.box = box;
        return box;
      }
    });
    new C().addTo(map);

    function setLayer(layer, on) {
      if (on === map.hasLayer(layer)) return;
      if (on) map.addLayer(layer); else map.removeLayer(layer);
      map.fire(on ? "overlayadd" : "overlayremove", { layer: layer });
    }
    function syncChecks() {
      viewer.cfg.types.forEach(function (t) { checks[t.id].checked = map.hasLayer(viewer.layers[t.id]); });
      Object.keys(overlayChecks).forEach(function (id) {
        overlayChecks[id].checked = map.hasLayer(viewer.overlays[id].layer);
      });
    }
    map.on("layeradd layerremove", syncChecks);

    // the other overlays (regions, front lines, labels) join the same list
    viewer.onOverlay = function (id, label) {
      var li = el("li");
      var lab = el("label", "cm-layer");
      var cb = el("input");
      cb.type = "checkbox";
      cb.setAttribute("data-layer", id);
      cb.checked = map.hasLayer(viewer.overlays[id].layer);
      cb.addEventListener("change", function () { setLayer(viewer.overlays[id].layer, cb.checked); });
      overlayChecks[id] = cb;
      lab.appendChild(cb);
      lab.appendChild(el("span", "cm-legend-label", label));
      li.appendChild(lab);
      ui.overlays.appendChild(li);
    };
    Object.keys(viewer.overlays || {}).forEach(function (id) { viewer.onOverlay(id, viewer.overlays[id].label); });
    var bases = Object.keys(viewer.baseLayers || {});
    if (bases.length > 1) {
      bases.forEach(function (id) {
        var lab = el("label", "cm-layer");
        var rb = el("input");
        rb.type = "radio";
        rb.name = "cm-basemap";
        rb.value = id;
        rb.checked = id === viewer.basemapId;
        rb.addEventListener("change", function () {
          if (rb.checked && viewer.chooseBasemap(id)) viewer.writeUrl();
        });
        lab.appendChild(rb);
        lab.appendChild(el("span", null, viewer.baseNames[id] || id));
        ui.bases.appendChild(lab);
      });
    }

    var open = viewer.cfg.print || !(viewer.cfg.embed || small), tab = "layers";
    function show(which) {
      tab = which || tab;
      open = true;
      render();
    }
    function render() {
      ui.box.classList.toggle("cm-collapsed", !open);
      ui.body.hidden = !open;
      ui.layers.hidden = tab !== "layers";
      ui.events.hidden = tab !== "events";
      Object.keys(ui.tabs).forEach(function (k) {
        ui.tabs[k].classList.toggle("cm-tab-on", open && k === tab);
        ui.tabs[k].setAttribute("aria-pressed", String(open && k === tab));
      });
      ui.toggle.textContent = open ? "×" : "☰";
      ui.toggle.setAttribute("aria-label", open ? "Hide the panel" : "Show the panel");
      ui.toggle.setAttribute("aria-expanded", String(open));
      if (open && tab === "events") fillList();
    }
    ui.toggle.addEventListener("click", function () { open = !open; render(); });
    viewer.panel = { show: show, collapse: function () { open = false; render(); },
      isOpen: function () { return open; } };

    // ---- the list of the events in view, newest first ----------------------------------
    var limit = ROWS, listKey = null, ring = null;
    function sorted() {
      var fs = viewer.features || {};
      return Object.keys(fs).map(function (k) { return fs[k]; }).sort(function (a, b) {
        var p = a.properties || {}, q = b.properties || {};
        if (p.date_start !== q.date_start) return p.date_start < q.date_start ? 1 : -1;
        return String(a.id) < String(b.id) ? -1 : 1;
      });
    }
    function highlight(f) {
      if (ring) { map.removeLayer(ring); ring = null; }
      var where = f && viewer.latlngOf(f);
      if (!where) return;
      ring = L.marker(where, { interactive: false, keyboard: false, zIndexOffset: 900,
        icon: L.divIcon({ className: "cm-list-ring", iconSize: [26, 26], iconAnchor: [13, 13] }) }).addTo(map);
    }
    function fillList() {
      var key = viewer.renderCount + "/" + limit + "/" + (viewer.state.event || "");
      // the events drawn: each feature kept has a symbol (viewer.shown), not listed again
      var n = typeof viewer.shown === "number" ? viewer.shown : Object.keys(viewer.features || {}).length;
      ui.tabs.events.textContent = "Events (" + CM.fmtInt(n) + ")";
      // sorted and drawn only while the list is open (not at every step of a closed panel)
      if (!open || tab !== "events" || key === listKey) return;
      listKey = key;
      var list = sorted();
      ui.events.textContent = "";
      if (!list.length) {
        ui.events.appendChild(el("p", "cm-list-empty", "No event in view: zoom out or widen the time window."));
        return;
      }
      var frag = document.createDocumentFragment();
      list.slice(0, limit).forEach(function (f) {
        var p = f.properties || {}, t = viewer.types[p.event_type] || viewer.cfg.fallback;
        var id = String(f.id || p.event_id);
        var row = el("button", "cm-list-row");
        row.type = "button";
        row.setAttribute("role", "listitem");
        row.setAttribute("data-event-id", id);
        if (id === viewer.state.event) row.classList.add("cm-list-selected");
        var a = CM.assumed(p);
        if (a.date || a.place) row.classList.add("cm-list-assumed");
        row.appendChild(symbolCanvas({ shape: t.shape, color: t.color }, false));
        var dates = p.date_start === p.date_end ? p.date_start : p.date_start + " – " + p.date_end;
        row.appendChild(el("span", "cm-list-date", dates));
        row.appendChild(el("span", "cm-list-place", p.location_name || "no place"));
        row.appendChild(el("span", "cm-list-summary", p.summary || t.label || p.event_type));
        row.addEventListener("mouseenter", function () { highlight(f); });
        row.addEventListener("focus", function () { highlight(f); });
        row.addEventListener("mouseleave", function () { highlight(null); });
        row.addEventListener("click", function (e) {
          // the rows are drawn again as the event opens: the click must stop here, or the
          // map takes it (its target is gone from the panel) and closes the popup
          L.DomEvent.stop(e);
          highlight(null);
          var where = viewer.latlngOf(f);
          if (where) map.setView(where, Math.max(map.getZoom(), 8), { animate: false });
          viewer.select(id, where);
        });
        frag.appendChild(row);
      });
      ui.events.appendChild(frag);
      if (list.length > limit) {
        var more = el("button", "cm-list-more", "Show " + Math.min(ROWS, list.length - limit) + " more of " +
          CM.fmtInt((list.length - limit)));
        more.type = "button";
        more.addEventListener("click", function (e) { L.DomEvent.stop(e); limit += ROWS; fillList(); });
        ui.events.appendChild(more);
      }
    }
    viewer.on(function () {
      Object.keys(counts).forEach(function (k) {
        var n = viewer.counts ? viewer.counts[k] || 0 : 0;
        counts[k].textContent = viewer.counts ? String(n) : "";
        // the embed and the print keep their legend short: only the types on the map
        if (viewer.cfg.embed || viewer.cfg.print) counts[k].parentNode.parentNode.hidden = !n;
      });
      fillList();
    });
    render();
  };
})();
