/* conflictmap layout: popups and tooltips above every control, popups sized and panned into
 * the space the controls leave free, and a compact layout for embeds and phones (the
 * attribution and the "data as of" stamp behind one button, no scale bar). */
(function () {
  "use strict";

  var CM = window.ConflictMap;
  var el = CM.el;
  var MARGIN = 10;

  function visible(node) {
    if (!node || node.hidden || node.offsetParent === null) return null;
    var r = node.getBoundingClientRect();
    return r.width && r.height ? r : null;
  }

  // a report map's title: what it shows, over which dates, from data of which day
  CM.addPrintTitle = function (viewer, opts) {
    var box = null, C = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () { box = el("div", "leaflet-control cm-control cm-print-title"); return box; }
    });
    new C().addTo(viewer.map);
    function fill() {
      var s = viewer.state, ext = viewer.cfg.extent || {};
      box.textContent = "";
      box.appendChild(el("h2", null, opts.title || "conflictmap"));
      var n = viewer.shown || 0, start = s.start || ext.start, end = s.end || ext.end;
      var text = CM.fmtInt(n) + (n === 1 ? " event" : " events");
      if (start) text += ", " + start + (end && end !== start ? " to " + end : "");
      box.appendChild(el("div", "cm-print-window", text));
      if (viewer.unplaced) {
        box.appendChild(el("div", "cm-print-note", viewer.unplaced + " more without a location are in the data file, not on the map"));
      }
      if (viewer.frontLines && viewer.frontLines.versions && viewer.frontLines.versions.length) {
        box.appendChild(el("div", "cm-print-note", "Front lines: " + viewer.frontLines.versions.map(function (v) {
          return v.source + " of " + v.valid_from;
        }).join("; ")));
      }
      box.appendChild(el("div", "cm-print-note", "Data as of " + (opts.data_as_of || "unknown")));
    }
    viewer.on(fill);
  };

  CM.addLayout = function (viewer) {
    var map = viewer.map, container = map.getContainer();
    if (viewer.cfg.print) {
      container.classList.add("cm-print");
      if (map.zoomControl) map.removeControl(map.zoomControl);
    }
    // 1. the popup and tooltip panes leave the map pane for a layer over the controls, moved
    //    with the map pane so that their positions stay right
    var float = el("div", "cm-float");
    container.appendChild(float);
    ["tooltipPane", "popupPane"].forEach(function (name) { float.appendChild(map.getPane(name)); });
    function follow() { L.DomUtil.setPosition(float, L.DomUtil.getPosition(map.getPane("mapPane"))); }
    map.on("move zoom viewreset resize zoomend moveend", follow);
    follow();

    // 2. compact layout: the stamp and the attribution behind one button on small maps
    var attribution = container.querySelector(".leaflet-control-attribution");
    var stamp = container.querySelector(".cm-stamp");
    var info = L.control({ position: "bottomright" });
    info.onAdd = function () {
      var box = el("div", "leaflet-control cm-control cm-info");
      L.DomEvent.disableClickPropagation(box);
      var b = el("button", "cm-info-toggle", "i");
      b.type = "button";
      b.setAttribute("aria-label", "Data, sources and credits");
      b.setAttribute("aria-expanded", "false");
      b.addEventListener("click", function () {
        var open = !container.classList.contains("cm-info-open");
        container.classList.toggle("cm-info-open", open);
        b.setAttribute("aria-expanded", String(open));
      });
      box.appendChild(b);
      return box;
    };
    info.addTo(map);

    function leftWidth(corner) {
      var w = 0;
      container.querySelectorAll(".leaflet-" + corner + ".leaflet-left .leaflet-control").forEach(function (n) {
        var r = visible(n);
        if (r) w = Math.max(w, r.right - container.getBoundingClientRect().left);
      });
      return w;
    }
    function layout() {
      var size = map.getSize();
      var small = size.x < 600 || size.y < 420;
      container.classList.toggle("cm-small", small);
      container.classList.toggle("cm-embed-mode", !!viewer.cfg.embed);
      if (!small) container.classList.remove("cm-info-open");
      // the attribution wraps beside the bottom-left controls instead of running under them
      if (attribution) {
        attribution.style.maxWidth = small ? "" : Math.max(160, size.x - leftWidth("bottom") - 3 * MARGIN) + "px";
      }
      if (stamp) stamp.style.maxWidth = attribution ? attribution.style.maxWidth : "";
      // the time control takes the width the info button leaves
      var time = container.querySelector(".cm-time");
      if (time) time.style.width = small ? Math.min(360, size.x - 2 * MARGIN - 56) + "px" : "";
      if (viewer.timeSync) viewer.timeSync();
    }
    map.on("resize", layout);
    layout();
    viewer.layout = layout;

    // 3. popups fit between the controls at the top and at the bottom
    viewer.popupOptions = function () {
      var size = map.getSize(), box = container.getBoundingClientRect();
      var top = MARGIN, bottom = size.y - MARGIN, panel = container.querySelector(".cm-panel");
      container.querySelectorAll(".leaflet-control").forEach(function (n) {
        var r = visible(n);
        if (!r) return;
        // an open panel on a large map stays beside the popup (which is drawn over it)
        if (n === panel && viewer.panel && viewer.panel.isOpen() && !container.classList.contains("cm-small") &&
          r.height > size.y / 2) return;
        if (n.closest(".leaflet-top")) top = Math.max(top, r.bottom - box.top + MARGIN);
        else bottom = Math.min(bottom, r.top - box.top - MARGIN);
      });
      var free = Math.max(120, bottom - top - 40);  // the tip and the popup's own padding
      return {
        maxWidth: Math.max(200, Math.min(380, size.x - 2 * MARGIN - 40)),
        minWidth: Math.min(240, size.x - 2 * MARGIN - 40),
        maxHeight: Math.min(360, free),
        autoPanPaddingTopLeft: L.point(MARGIN, top),
        autoPanPaddingBottomRight: L.point(MARGIN, size.y - bottom),
        autoPan: !viewer.cfg.static_shot
      };
    };
  };
})();
