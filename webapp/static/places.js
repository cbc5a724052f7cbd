/* conflictmap orientation: offline place labels from the gazetteer (capitals and large cities
 * zoomed out, towns and villages zoomed in, never overlapping), the place search box with
 * type-ahead (/maps/places.json?q=, /api/geocode) and hover tooltips on events.
 * Names reach the page through textContent only. */
(function () {
  "use strict";

  var CM = window.ConflictMap;
  var el = CM.el;
  // font size and weight by rank (0 capital … 5 village)
  var FONTS = [[13, 700], [12.5, 700], [12, 600], [11.5, 400], [11, 400], [10.5, 400]];
  var measure = null;
  function textWidth(text, rank) {
    if (!measure) measure = document.createElement("canvas").getContext("2d");
    var f = FONTS[rank] || FONTS[5];
    measure.font = f[1] + " " + f[0] + "px system-ui, sans-serif";
    return measure.measureText(text).width;
  }

  // the label boxes that fit, most important first: [{place, x, y, w, h}]
  function layout(map, places) {
    var size = map.getSize(), placed = [];
    places.forEach(function (p) {
      var pt = map.latLngToContainerPoint([p.lat, p.lon]);
      if (pt.x < -50 || pt.y < -20 || pt.x > size.x + 50 || pt.y > size.y + 20) return;
      var h = (FONTS[p.rank] || FONTS[5])[0] + 4, w = textWidth(p.name, p.rank) + 10;
      var box = { place: p, x: pt.x - 3, y: pt.y - h / 2, w: w, h: h };
      for (var i = 0; i < placed.length; i++) {
        var o = placed[i];
        if (box.x < o.x + o.w + 2 && o.x < box.x + box.w + 2 && box.y < o.y + o.h && o.y < box.y + box.h) return;
      }
      placed.push(box);
    });
    return placed;
  }

  var Labels = L.Layer.extend({
    initialize: function (viewer, opts) {
      this.viewer = viewer;
      this.opts = opts;
      this.places = [];
      this.shown = [];
      this.inline = opts.inline ? CM.readJson(opts.inline) || [] : null;
      this.zooms = opts.zooms || {};
    },
    onAdd: function (map) {
      if (!map.getPane("cmLabels")) {
        map.createPane("cmLabels");
        map.getPane("cmLabels").style.zIndex = 390;  // over areas and front lines, under events
        map.getPane("cmLabels").style.pointerEvents = "none";
      }
      this.box = el("div", "cm-labels leaflet-zoom-hide");
      map.getPane("cmLabels").appendChild(this.box);
      this.load = CM.debounce(this.fetch.bind(this), 120);
      map.on("moveend", this.load, this);
      map.on("zoomend", this.draw, this);
      // the first labels come once the events are drawn: they never delay the first paint
      var self = this, viewer = this.viewer;
      if (viewer.renderCount) this.fetch();
      else {
        var first = function () {
          if (!viewer.renderCount || viewer.pending || self.started) return;
          self.started = true;
          (window.requestIdleCallback || setTimeout)(function () { self.fetch(); }, { timeout: 200 });
        };
        viewer.on(first);
      }
    },
    onRemove: function (map) {
      map.off("moveend", this.load, this);
      map.off("zoomend", this.draw, this);
      if (this.box && this.box.parentNode) this.box.parentNode.removeChild(this.box);
      this.box = null;
    },
    minPopulation: function (z) {
      var keys = Object.keys(this.zooms).map(Number).sort(function (a, b) { return a - b; });
      if (!keys.length) return 0;
      if (z < keys[0]) return Infinity;
      var need = 0;
      keys.forEach(function (k) { if (z >= k) need = this.zooms[k]; }, this);
      return need;
    },
    fetch: function () {
      var self = this, map = this._map;
      if (!map || !this.viewer.renderCount) return;
      var z = map.getZoom();
      if (this.inline) {
        var b = map.getBounds(), need = this.minPopulation(z);
        this.places = this.inline.filter(function (p) {
          var pop = p.rank === 0 ? Math.max(p.population, 2000000) : p.population;
          return pop >= need && b.contains([p.lat, p.lon]);
        });
        this.draw();
        this.loads = (this.loads || 0) + 1;
        return;
      }
      var bbox = this.viewer.bbox().join(",");
      var url = this.opts.url + "?bbox=" + bbox + "&z=" + z;
      var t0 = performance.now(), mine = this.seq = (this.seq || 0) + 1;
      fetch(url).then(function (r) { return r.ok ? r.json() : { places: [] }; })
        .then(function (body) {
          if (!self._map || mine !== self.seq) return;  // a later view asked meanwhile
          self.fetchMs = performance.now() - t0;
          self.places = body.places || [];
          self.draw();
          self.loads = (self.loads || 0) + 1;
        })
        .catch(function () { /* labels are an aid: the map works without them */ });
    },
    draw: function () {
      if (!this._map || !this.box) return;
      var t0 = performance.now(), map = this._map;
      var placed = layout(map, this.places), frag = document.createDocumentFragment();
      placed.forEach(function (b) {
        var p = b.place, lp = map.containerPointToLayerPoint([b.x, b.y]);
        var node = el("div", "cm-label cm-label-r" + p.rank);
        node.appendChild(el("span", "cm-label-dot"));
        node.appendChild(el("span", "cm-label-text", p.name));
        node.setAttribute("data-id", String(p.id));
        node.style.transform = "translate(" + Math.round(lp.x) + "px," + Math.round(lp.y) + "px)";
        frag.appendChild(node);
      });
      this.box.textContent = "";
      this.box.appendChild(frag);
      this.shown = placed.map(function (b) { return b.place; });
      this.drawMs = performance.now() - t0;
      this.draws = (this.draws || 0) + 1;
    }
  });

  CM.addPlaceLabels = function (viewer, opts) {
    var labels = new Labels(viewer, opts);
    labels.addTo(viewer.map);
    viewer.placeLabels = labels;
    viewer.addOverlay("labels", labels, true, "Place labels");
  };

  // ---- place search with type-ahead ------------------------------------------------------
  var ZOOM_FOR = { PCLI: 5, PCLD: 5, PCLF: 5, PCLS: 5, PCLIX: 5, PCL: 5, TERR: 5, ADM1: 7, ADM2: 9,
    PPLC: 10, RGN: 6 };

  CM.addSearch = function (viewer, opts) {
    var map = viewer.map, ui = {}, marker = null, active = -1, items = [];
    var C = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var box = el("div", "leaflet-control cm-control cm-search");
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        ui.input = el("input");
        ui.input.type = "search";
        ui.input.name = "place";
        ui.input.placeholder = "Find a place…";
        ui.input.setAttribute("aria-label", "Find a place");
        ui.input.setAttribute("autocomplete", "off");
        ui.input.setAttribute("role", "combobox");
        ui.input.setAttribute("aria-expanded", "false");
        ui.list = el("ul", "cm-suggestions");
        ui.list.setAttribute("role", "listbox");
        ui.list.hidden = true;
        box.appendChild(ui.input);
        box.appendChild(ui.list);
        return box;
      }
    });
    new C().addTo(map);

    function close() {
      ui.list.hidden = true;
      ui.input.setAttribute("aria-expanded", "false");
      active = -1;
    }
    function go(p) {
      close();
      ui.input.value = p.name;
      var z = ZOOM_FOR[p.feature_code] || (p.population > 100000 ? 10 : 11);
      map.setView([p.lat, p.lon], Math.min(z, map.getMaxZoom()), { animate: false });
      if (marker) map.removeLayer(marker);
      var tip = el("span", null, p.name);
      // a DOM ring (the events' canvas ignores class names), over the events
      marker = L.marker([p.lat, p.lon], { interactive: false, keyboard: false, zIndexOffset: 1000,
        icon: L.divIcon({ className: "cm-highlight", iconSize: [30, 30], iconAnchor: [15, 15] }) }).addTo(map);
      marker.bindTooltip(tip, { permanent: true, direction: "right", offset: [12, 0], className: "cm-highlight-label" }).openTooltip();
      viewer.searched = p;
      viewer.emit();
    }
    function show(places) {
      items = places;
      ui.list.textContent = "";
      places.forEach(function (p, i) {
        var li = el("li", "cm-suggestion");
        li.setAttribute("role", "option");
        li.setAttribute("data-id", String(p.id));
        li.appendChild(el("strong", null, p.name));
        var where = [p.admin1, p.country_code].filter(Boolean).join(", ");
        if (where) li.appendChild(el("span", "cm-suggestion-where", " " + where));
        li.addEventListener("mousedown", function (e) { e.preventDefault(); go(items[i]); });
        ui.list.appendChild(li);
      });
      ui.list.hidden = !places.length;
      ui.input.setAttribute("aria-expanded", places.length ? "true" : "false");
      active = -1;
    }
    var seq = 0;
    var lookup = CM.debounce(function () {
      var text = ui.input.value.trim(), mine = ++seq;
      if (text.length < 2) { show([]); return; }
      var c = map.getCenter();
      var suggest = fetch(opts.suggest + "?q=" + encodeURIComponent(text) + "&lat=" + c.lat.toFixed(3) +
        "&lon=" + c.lng.toFixed(3)).then(function (r) { return r.ok ? r.json() : { places: [] }; })
        .then(function (b) { return b.places || []; }).catch(function () { return []; });
      // the geocoder resolves the whole text (aliases, "X oblast", other spellings)
      var best = opts.geocode ? fetch(opts.geocode + "?q=" + encodeURIComponent(text))
        .then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; })
        : Promise.resolve(null);
      Promise.all([suggest, best]).then(function (got) {
        if (mine !== seq) return;
        var list = got[0].slice(), g = got[1];
        if (g && g.geonameid !== null && g.geonameid !== undefined && g.lat !== null) {
          list = list.filter(function (p) { return p.id !== g.geonameid; });
          list.unshift({ id: g.geonameid, name: g.name || text, lat: g.lat, lon: g.lon,
            feature_code: g.feature_code, country_code: g.country_code, admin1: g.admin1,
            population: g.population || 0 });
        }
        show(list.slice(0, 8));
      });
    }, 180);
    ui.input.addEventListener("input", lookup);
    ui.input.addEventListener("keydown", function (e) {
      var nodes = ui.list.children;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!nodes.length) return;
        e.preventDefault();
        active = (active + (e.key === "ArrowDown" ? 1 : nodes.length - 1)) % nodes.length;
        for (var i = 0; i < nodes.length; i++) nodes[i].classList.toggle("cm-active", i === active);
      } else if (e.key === "Enter") {
        e.preventDefault();
        if (items.length) go(items[active >= 0 ? active : 0]);
      } else if (e.key === "Escape") {
        close();
      }
    });
    ui.input.addEventListener("blur", function () { setTimeout(close, 150); });
  };

  // ---- hover tooltips on events -----------------------------------------------------------
  CM.tooltipContent = function (viewer, f) {
    var p = f.properties || {}, t = viewer.types[p.event_type] || {};
    var box = el("div", "cm-tip");
    var dates = p.date_start === p.date_end ? p.date_start : p.date_start + " – " + p.date_end;
    box.appendChild(el("strong", null, (t.label || p.event_type) + " · " + dates));
    if (p.location_name) box.appendChild(el("div", null, p.location_name + (p.geo_precision && p.geo_precision !== "exact" ? " (" + p.geo_precision + ")" : "")));
    if (p.summary) {
      var s = String(p.summary);
      box.appendChild(el("div", "cm-tip-summary", s.length > 120 ? s.slice(0, 117) + "…" : s));
    }
    var a = CM.assumed(p);
    if (a.date || a.place) box.appendChild(el("div", "cm-tip-assumed", (a.date ? "date" : "place") + (a.date && a.place ? " and place" : "") + " assumed"));
    return box;
  };
})();
