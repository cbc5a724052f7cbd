/* conflictmap front lines: the dated front-line geometry in force at the end of the time
 * window (areas of control hatched, lines of contact drawn), fetched from
 * /collections/front_lines/items?datetime=END or chosen among inlined versions (static maps).
 * Its text (sources, names) only reaches the page through textContent. */
(function () {
  "use strict";

  var CM = window.ConflictMap;
  var el = CM.el;
  var COLOUR = "#7a1f3d";

  // a hatch pattern for control areas (SVG renderer): light, so that events stay legible
  function hatch(map) {
    var svg = map.getPane("cmFront").querySelector("svg");
    if (!svg || svg.querySelector("#cm-front-hatch")) return;
    var ns = "http://www.w3.org/2000/svg";
    var defs = document.createElementNS(ns, "defs");
    var pat = document.createElementNS(ns, "pattern");
    pat.setAttribute("id", "cm-front-hatch");
    pat.setAttribute("patternUnits", "userSpaceOnUse");
    pat.setAttribute("width", "8");
    pat.setAttribute("height", "8");
    pat.setAttribute("patternTransform", "rotate(45)");
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "0"); line.setAttribute("y1", "0");
    line.setAttribute("x2", "0"); line.setAttribute("y2", "8");
    line.setAttribute("stroke", COLOUR);
    line.setAttribute("stroke-width", "1.5");
    line.setAttribute("stroke-opacity", "0.35");
    pat.appendChild(line);
    defs.appendChild(pat);
    svg.insertBefore(defs, svg.firstChild);
  }

  function style(feature) {
    var area = (feature.properties || {}).kind === "area";
    return area
      ? { color: COLOUR, weight: 1.5, opacity: 0.8, fill: true, fillColor: "url(#cm-front-hatch)",
        fillOpacity: 1, className: "cm-front-area" }
      : { color: COLOUR, weight: 3, opacity: 0.85, fill: false, className: "cm-front-line" };
  }

  // the inlined versions in force on day `end` (static maps; the API's rule)
  function inForce(versions, end) {
    return versions.filter(function (v) {
      return v.valid_from <= end && (!v.valid_to || v.valid_to >= end);
    });
  }

  CM.addFrontLines = function (viewer, opts) {
    var map = viewer.map;
    map.createPane("cmFront");
    map.getPane("cmFront").style.zIndex = 380;  // over the basemap, under the events
    var renderer = L.svg({ pane: "cmFront", padding: 0.3 });
    var layer = L.geoJSON(null, { style: style, renderer: renderer, pane: "cmFront",
      interactive: false });
    var inline = opts.inline ? CM.readJson(opts.inline) || [] : null;
    var state = viewer.frontLines = { date: null, versions: [], features: 0, loads: 0 };
    var caption = null;

    function describe() {
      if (!caption) return;
      caption.textContent = "";
      if (!map.hasLayer(layer)) { caption.hidden = true; return; }
      caption.hidden = false;
      caption.appendChild(el("span", "cm-front-key"));
      if (!state.versions.length) {
        caption.appendChild(document.createTextNode("Front lines: none in force on " + (state.date || "?")));
        return;
      }
      var parts = state.versions.map(function (v) {
        return v.source + " of " + v.valid_from + (v.valid_to ? " (until " + v.valid_to + ")" : "");
      });
      caption.appendChild(document.createTextNode("Front lines: " + parts.join("; ")));
    }

    function show(features, versions, day) {
      layer.clearLayers();
      layer.addData({ type: "FeatureCollection", features: features });
      if (map.hasLayer(layer)) hatch(map);
      state.date = day;
      state.versions = versions;
      state.features = features.length;
      state.loads += 1;
      describe();
    }

    // the days around the last answer's date on which the answer is the same (from the API)
    function covered(day) {
      var span = state.span;
      if (!span) return false;
      return (!span.start || span.start <= day) && (!span.end || day <= span.end);
    }

    var inflight = null;
    function update() {
      if (!map.hasLayer(layer)) return;
      var day = viewer.state.end || (viewer.cfg.extent || {}).end;
      if (!day || covered(day) || inflight === day) return;
      if (inline) {
        var chosen = inForce(inline, day), features = [];
        chosen.forEach(function (v) { features = features.concat(v.features); });
        state.span = { start: day, end: day };
        show(features, chosen, day);
        return;
      }
      inflight = day;
      fetch(opts.url + "?datetime=" + encodeURIComponent(day) + "&limit=10000",
        { headers: { Accept: "application/geo+json" } })
        .then(function (r) {
          if (!r.ok) throw new Error("The front-line API answered " + r.status);
          return r.json();
        })
        .then(function (fc) {
          inflight = null;
          state.span = fc.unchanged || { start: day, end: day };
          show(fc.features || [], fc.versions || [], day);
          viewer.emit();
        })
        .catch(function (e) {
          inflight = null;
          viewer.error = "front lines: " + (e && e.message ? e.message : e);
          viewer.emit();
        });
    }

    viewer.frontLineLayer = layer;
    viewer.updateFrontLines = update;
    layer.addTo(map);
    viewer.addOverlay("front_lines", layer, true, "Front lines (dated geometry)");
    map.on("overlayadd", function (e) { if (e.layer === layer) { hatch(map); update(); describe(); } });
    map.on("overlayremove", function (e) { if (e.layer === layer) describe(); });
    caption = el("div", "cm-front-caption");
    caption.hidden = true;
    var time = document.querySelector(".cm-time");
    if (time) time.appendChild(caption);
    else {
      var box = L.control({ position: "bottomleft" });
      box.onAdd = function () { var d = el("div", "leaflet-control cm-control"); d.appendChild(caption); return d; };
      box.addTo(map);
    }
    viewer.on(update);
    update();
  };
})();
