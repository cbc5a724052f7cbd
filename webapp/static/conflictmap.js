/* conflictmap map viewer: event layers fetched from the OGC API (or inlined for static maps),
 * the time window, filters and permalinks (symbols and popups: symbols.js; controls: controls.js).
 * Untrusted event text only ever reaches the page through textContent / value / setAttribute
 * of http(s) URLs: never innerHTML. */
(function () {
  "use strict";

  var CM = (window.ConflictMap = window.ConflictMap || { viewers: [] });
  var DAY = 86400000;

  // ---- small helpers --------------------------------------------------------------------
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function safeHref(url) {
    if (typeof url !== "string") return null;
    try {
      var u = new URL(url, window.location.href);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }
  function toDay(iso) {
    var t = Date.parse(String(iso).slice(0, 10) + "T00:00:00Z");
    return isNaN(t) ? null : Math.floor(t / DAY);
  }
  function fromDay(n) {
    return new Date(n * DAY).toISOString().slice(0, 10);
  }
  function debounce(fn, ms) {
    var t = null;
    return function () {
      var args = arguments, self = this;
      clearTimeout(t);
      t = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }
  // an event whose date or place the sources do not state (drawn fainter, said in the popup)
  function assumed(p) {
    var tags = p.tags || [];
    return {
      date: p.date_basis === "report" || tags.indexOf("date-assumed") >= 0,
      place: tags.indexOf("place-assumed") >= 0
    };
  }

  // the drawn symbol an event of the map comes from: the layer itself, or the one holding it
  // (an area's GeoJSON layer holds its polygons)
  function symbolOf(layer) {
    for (var n = 0; layer && n < 4; n++) {
      if (layer.cmId !== undefined) return layer;
      var parents = layer._eventParents, up = null;
      for (var k in parents) { up = parents[k]; break; }
      layer = up;
    }
    return null;
  }

  // counts as the page writes them (one formatter: toLocaleString makes one at each call)
  var numbers = window.Intl ? new Intl.NumberFormat("en") : null;
  function fmtInt(n) { return numbers ? numbers.format(n) : String(n); }

  // a light diagonal hatch in one colour, for the areas of area-level events (never opaque)
  var hatches = {};
  function hatch(color) {
    if (hatches[color]) return hatches[color];
    var c = document.createElement("canvas");
    c.width = c.height = 10;
    var ctx = c.getContext("2d");
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.2;
    ctx.beginPath();
    ctx.moveTo(0, 10); ctx.lineTo(10, 0);
    ctx.moveTo(-2, 2); ctx.lineTo(2, -2);
    ctx.moveTo(8, 12); ctx.lineTo(12, 8);
    ctx.stroke();
    hatches[color] = ctx.createPattern(c, "repeat");
    return hatches[color];
  }

  // ---- the viewer -------------------------------------------------------------------------
  function Viewer(map, cfg) {
    this.map = map;
    this.cfg = cfg;
    if (cfg.data_id && !cfg.data) cfg.data = CM.readJson(cfg.data_id) || { features: [] };
    this.types = {};
    this.layers = {};
    this.features = {};
    this.byId = {};
    this.renderer = new CM.EventCanvas({ padding: 0.3, tolerance: 3 });
    this.renderCount = 0;
    this.pending = 0;
    this.listeners = [];
    this.matched = null;
    this.more = false;  // more match than the API counted (it left numberMatched out)
    var self = this;
    cfg.types.forEach(function (t) {
      self.types[t.id] = t;
      var group = self.layers[t.id] = L.featureGroup().addTo(map);
      // one listener per type, not two per symbol: a step adds and removes thousands of
      // symbols, and each listener is an object made and collected again
      group.on("click", function (e) {
        var layer = symbolOf(e.layer);
        if (layer) self.pick(layer.cmId, e.latlng);
      });
      group.on("mouseover", function (e) { self.hover(symbolOf(e.layer), e.latlng); });
    });
    // location precisions (geo.events.taxonomy): rank (0 = finest), how they are drawn
    // (point, near, area) and the radius drawn around the point of an area without outline
    this.rank = {};
    this.drawnAs = {};
    this.area = {};
    cfg.precisions.forEach(function (p) {
      self.rank[p.id] = p.rank;
      self.drawnAs[p.id] = p.drawn;
      if (p.area_m) self.area[p.id] = p.area_m;
    });
    this.state = this.readState();
    this.controls = {};
    CM.viewers.push(this);
    CM.current = this;
  }

  Viewer.prototype.on = function (fn) { this.listeners.push(fn); };
  Viewer.prototype.emit = function () {
    var self = this;
    this.listeners.forEach(function (fn) { fn(self); });
  };

  // what the URL asks for; a value the page does not know is reported (viewer.notices),
  // never applied silently
  Viewer.prototype.readState = function () {
    var q = new URLSearchParams(window.location.search);
    var h = window.location.hash.replace(/^#/, "");
    if (h) new URLSearchParams(h).forEach(function (v, k) { if (!q.has(k)) q.set(k, v); });
    var ext = this.cfg.window || this.cfg.extent || {};
    var notices = this.notices = [];
    function bad(name, value, expected) {
      notices.push({ param: name, value: value, text: name + "=" + value + " is not understood (" + expected + "): ignored" });
    }
    function day(name, fallback) {
      if (!q.has(name) || q.get(name) === "") return fallback;
      var v = q.get(name);
      if (toDay(v) === null || !/^\d{4}-\d{2}-\d{2}/.test(v)) { bad(name, v, "a date YYYY-MM-DD"); return fallback; }
      return v.slice(0, 10);
    }
    function num(name, parse, lo, hi) {
      if (!q.has(name) || q.get(name) === "") return NaN;
      var v = parse(q.get(name));
      if (isNaN(v) || v < lo || v > hi) { bad(name, q.get(name), "a number from " + lo + " to " + hi); return NaN; }
      return v;
    }
    function list(name, known, what) {
      if (!q.has(name)) return null;
      var asked = q.get(name).split(",").filter(function (t) { return t !== ""; });
      var ok = asked.filter(function (t) {
        if (known.indexOf(t) >= 0) return true;
        bad(name, t, what + ": " + known.join(", "));
        return false;
      });
      // a list of nothing but unknown values keeps the default rather than an empty map
      return ok.length || !asked.length ? ok : null;
    }
    var typeIds = this.cfg.types.map(function (t) { return t.id; });
    var s = {
      start: day("start", ext.start),
      end: day("end", ext.end),
      types: list("type", typeIds, "event types"),
      layers: list("layers", this.cfg.overlay_ids || [], "layers"),
      basemap: q.get("basemap") || "",
      step: q.get("step") || "",
      actor: q.get("actor") || "",
      status: q.get("status") || "",
      q: q.get("q") || "",
      event: q.get("event") || "",
      precise: q.get("precise") === "1",
      lat: num("lat", parseFloat, -90, 90),
      lon: num("lon", parseFloat, -180, 180),
      z: num("z", function (v) { return /^\d+$/.test(v) ? parseInt(v, 10) : NaN; }, 0, 20)
    };
    if (q.has("precise") && ["0", "1", ""].indexOf(q.get("precise")) < 0) bad("precise", q.get("precise"), "1 or 0");
    if (s.status && (this.cfg.statuses || []).length && this.cfg.statuses.indexOf(s.status) < 0) {
      bad("status", s.status, "one of " + this.cfg.statuses.join(", "));
      s.status = "";
    }
    if (s.step && ["1", "7", "30"].indexOf(s.step) < 0) { bad("step", s.step, "1, 7 or 30 days"); s.step = ""; }
    if (s.start && s.end && s.start > s.end) {
      bad("start", s.start, "a date before end=" + s.end);
      s.start = ext.start;
      if (s.start && s.start > s.end) s.end = ext.end;
    }
    var names = this.cfg.permalink_params || [];
    q.forEach(function (v, k) {
      if (names.length && names.indexOf(k) < 0 && k !== "f") {
        notices.push({ param: k, value: v, text: "the parameter " + k + " is not one this map understands: ignored" });
      }
    });
    return s;
  };

  // report what the URL asked for that the map could not apply (basemap, layers, event…)
  Viewer.prototype.notice = function (param, value, text) {
    this.notices.push({ param: param, value: value, text: text });
    this.emit();
  };

  Viewer.prototype.params = function (withView) {
    var s = this.state, p = new URLSearchParams();
    if (s.start) p.set("start", s.start);
    if (s.end) p.set("end", s.end);
    var on = this.visibleTypes();
    if (on.length !== this.cfg.types.length) p.set("type", on.join(","));
    var self = this, layers = [], differ = false;
    Object.keys(this.overlays || {}).forEach(function (id) {
      var shown = self.map.hasLayer(self.overlays[id].layer);
      if (shown) layers.push(id);
      if (shown !== self.overlays[id].shown) differ = true;
    });
    if (differ) p.set("layers", layers.join(","));
    if (this.basemapId && this.basemapId !== this.defaultBasemap) p.set("basemap", this.basemapId);
    if (this.stepDays && String(this.stepDays()) !== String(this.cfg.step_days || 7)) p.set("step", String(this.stepDays()));
    if (s.precise) p.set("precise", "1");
    if (s.actor) p.set("actor", s.actor);
    if (s.status) p.set("status", s.status);
    if (s.q) p.set("q", s.q);
    if (withView) {
      if (s.event) p.set("event", s.event);
      var c = this.map.getCenter();
      p.set("lat", c.lat.toFixed(4));
      p.set("lon", c.lng.toFixed(4));
      p.set("z", String(this.map.getZoom()));
    }
    return p;
  };

  // a layer other than an event type (regions, front lines): `shown` is its default
  Viewer.prototype.addOverlay = function (id, layer, shown, label) {
    this.overlays = this.overlays || {};
    this.overlays[id] = { layer: layer, shown: !!shown, label: label || id };
    if (this.onOverlay) this.onOverlay(id, label || id);
  };

  Viewer.prototype.visibleTypes = function () {
    var self = this;
    return this.cfg.types.map(function (t) { return t.id; }).filter(function (id) {
      return self.map.hasLayer(self.layers[id]);
    });
  };

  Viewer.prototype.permalink = function (base) {
    // the full page links to itself (/, /map or a file), the embed to the full page
    var here = this.cfg.embed ? this.cfg.page_url : window.location.pathname;
    var u = new URL(base || here, window.location.href);
    u.search = this.params(true).toString();
    u.hash = "";
    return u.href;
  };

  Viewer.prototype.writeUrl = function () {
    if (!window.history || !window.history.replaceState || window.location.protocol === "file:") {
      if (window.location.protocol === "file:") {
        try { window.history.replaceState(null, "", "#" + this.params(true).toString()); } catch (e) { /* ignore */ }
      }
      return;
    }
    var u = new URL(window.location.href);
    u.search = this.params(true).toString();
    window.history.replaceState(null, "", u.href);
  };

  Viewer.prototype.bbox = function () {
    var b = this.map.getBounds();
    function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }
    return [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
      clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].map(function (v) {
      return Math.round(v * 1e4) / 1e4;
    });
  };

  Viewer.prototype.queryParams = function (alwaysBbox) {
    var s = this.state, p = new URLSearchParams();
    // a view that contains every stored event needs no bbox filter (the same answer, and the
    // store need not intersect every row with the box); downloads always carry the bbox
    var all = this.cfg.bounds && this.map.getBounds().contains(L.latLngBounds(this.cfg.bounds));
    if (alwaysBbox || !all) p.set("bbox", this.bbox().join(","));
    if (s.start || s.end) p.set("datetime", (s.start || "..") + "/" + (s.end || ".."));
    p.set("type", this.visibleTypes().join(","));
    if (s.actor) p.set("actor", s.actor);
    if (s.status) p.set("status", s.status);
    if (s.q) p.set("q", s.q);
    if (s.precise) p.set("geo_precision", "exact");
    return p;
  };

  Viewer.prototype.downloadUrl = function (fmt) {
    if (this.cfg.mode !== "api") return null;
    var p = this.queryParams(true);
    p.set("f", fmt);
    p.set("limit", String(this.cfg.export_limit));
    return this.cfg.api.items + "?" + p.toString();
  };

  // features passing the current filters (static mode filters in the browser)
  function matches(viewer, f) {
    var p = f.properties || {}, s = viewer.state;
    if (!viewer.map.hasLayer(viewer.layers[p.event_type] || {})) return false;
    if (s.start && p.date_end < s.start) return false;
    if (s.end && p.date_start > s.end) return false;
    if (s.status && p.status !== s.status) return false;
    if (s.precise && p.geo_precision !== "exact") return false;
    if (s.actor) {
      var a = s.actor.toLowerCase();
      if ([p.actor1, p.actor2, p.claimed_by].join(" ").toLowerCase().indexOf(a) < 0) return false;
    }
    if (s.q) {  // as the API: every word of the query starts a word of the event's text
      var text = [p.summary, p.location_name, p.name_in_text, p.actor1, p.actor2, p.notes]
        .concat((p.sources || []).map(function (x) { return [x.quote, x.title, x.publisher].join(" "); }))
        .join(" ").toLowerCase();
      var tokens = text.match(/[\p{L}\p{N}_]+/gu) || [];
      var words = s.q.toLowerCase().match(/[\p{L}\p{N}_]+/gu) || [];
      var ok = words.every(function (w) {
        return tokens.some(function (t) { return t.lastIndexOf(w, 0) === 0; });
      });
      if (!ok) return false;
    }
    return true;
  }

  // events per day and type over every date (the slider's histogram): asked of the API with
  // the view's filters and no time window, or counted in the page (static maps)
  Viewer.prototype.dayCounts = function () {
    var self = this;
    if (this.cfg.mode !== "api") {
      var s = this.state, keep = [s.start, s.end], per = {};
      s.start = ""; s.end = "";
      try {
        (this.cfg.data.features || []).forEach(function (f) {
          if (!matches(self, f)) return;
          var p = f.properties, k = p.date_start + "|" + p.event_type;
          per[k] = (per[k] || 0) + 1;
        });
      } finally { s.start = keep[0]; s.end = keep[1]; }
      return Promise.resolve(Object.keys(per).map(function (k) {
        var parts = k.split("|");
        return [parts[0], parts[1], per[k]];
      }));
    }
    if (!this.cfg.api.histogram) return Promise.resolve([]);
    var p = this.queryParams();
    p.delete("datetime");
    if (!this.visibleTypes().length) return Promise.resolve([]);
    var url = this.cfg.api.histogram + "?" + p.toString();
    if (this.histogramCache && this.histogramCache.url === url) return this.histogramCache.answer;
    var answer = fetch(url).then(function (r) { return r.ok ? r.json() : { days: [] }; })
      .then(function (b) { return b.days || []; });
    this.histogramCache = { url: url, answer: answer };
    answer.catch(function () { self.histogramCache = null; });
    return answer;
  };

  // ---- loading: one full query per view, then only the missing time slices --------------
  function featureBox(f) {
    if (f._cmBox) return f._cmBox;
    var p = f.properties || {}, g = f.geometry, box = [180, 90, -180, -90];
    function add(c) {
      if (typeof c[0] === "number") {
        box[0] = Math.min(box[0], c[0]); box[1] = Math.min(box[1], c[1]);
        box[2] = Math.max(box[2], c[0]); box[3] = Math.max(box[3], c[1]);
      } else c.forEach(add);
    }
    if (g && g.coordinates) add(g.coordinates);
    if (p.latitude !== null && p.latitude !== undefined) add([p.longitude, p.latitude]);
    Object.defineProperty(f, "_cmBox", { value: box, enumerable: false });
    return box;
  }
  function inWindow(f, w) {
    var p = f.properties || {};
    if (w.start && p.date_end < w.start) return false;
    if (w.end && p.date_start > w.end) return false;
    if (!w.bbox) return true;
    var b = featureBox(f);
    return b[0] <= w.bbox[2] && b[2] >= w.bbox[0] && b[1] <= w.bbox[3] && b[3] >= w.bbox[1];
  }
  function boxContains(outer, inner) {
    if (!outer) return true;
    if (!inner) return false;
    return outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];
  }
  // two JSON values alike (objects by their own keys)
  function sameJson(x, y) {
    if (x === y) return true;
    if (!x || !y || typeof x !== "object" || typeof y !== "object") return false;
    var i, k, n = 0;
    if (Array.isArray(x) || Array.isArray(y)) {
      if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
      for (i = 0; i < x.length; i++) if (!sameJson(x[i], y[i])) return false;
      return true;
    }
    for (k in x) {
      if (!Object.prototype.hasOwnProperty.call(y, k) || !sameJson(x[k], y[k])) return false;
      n += 1;
    }
    for (k in y) n -= 1;
    return n === 0;
  }
  // two copies of one event alike: the same kind of page (the viewer's slim page or whole
  // Features), id, geometry and properties (the update time first: it mostly differs when
  // the rest does, but it counts seconds, so it alone does not tell)
  function sameEvent(a, b) {
    var p = a.properties || {}, q = b.properties || {};
    return p.updated_at === q.updated_at && !a.slim === !b.slim && a.id === b.id &&
      sameJson(a.geometry, b.geometry) && sameJson(p, q);
  }
  function sameBox(a, b) { return (!a && !b) || (a && b && a.join() === b.join()); }
  function shiftDay(iso, n) { return fromDay(toDay(iso) + n); }

  // a view's events: from the viewer's own page (/maps/events.json: each Feature with only
  // the fields the map draws; the popup loads the whole event when opened), else the items
  Viewer.prototype.fetchItems = function (params, ctl) {
    if (this.cfg.api.events) {
      var slim = this.cfg.api.events + "?" + params.toString();
      return fetch(slim, { headers: { Accept: "application/json" }, signal: ctl && ctl.signal })
        .then(function (r) {
          if (!r.ok) throw new Error("The event API answered " + r.status + " for " + slim);
          return r.json();
        })
        .then(function (page) {
          var features = page.features || [];
          for (var i = 0; i < features.length; i++) features[i].slim = true;
          if (typeof page.numberMatched !== "number") {
            return { features: features, matched: page.next ? null : features.length, complete: !page.next };
          }
          return { features: features, matched: page.numberMatched, complete: page.numberMatched <= features.length };
        });
    }
    var url = this.cfg.api.items + "?" + params.toString();
    return fetch(url, { headers: { Accept: "application/geo+json" }, signal: ctl && ctl.signal })
      .then(function (r) {
        if (!r.ok) throw new Error("The event API answered " + r.status + " for " + url);
        return r.json();
      })
      .then(function (fc) {
        var features = fc.features || [];
        var next = (fc.links || []).some(function (l) { return l.rel === "next"; });
        // numberMatched is left out when the matches are too many to count cheaply: then the
        // next link alone says whether more match
        if (typeof fc.numberMatched !== "number") {
          return { features: features, matched: next ? null : features.length, complete: !next };
        }
        var matched = fc.numberMatched;
        return { features: features, matched: matched, complete: matched <= features.length };
      });
  };

  // while the reader looks, load the next step's days (playback and "»" then draw at once):
  // only the new days when the loaded window is complete, else the whole next window (its
  // page replaces this one: the loaded events are a page, not every match)
  Viewer.prototype.prefetch = function (p) {
    var self = this, s = this.state, days = this.stepDays ? this.stepDays() : 0;
    var last = this.cfg.extent && this.cfg.extent.end;
    if (!days || !s.end || !last || s.end >= last || this.cfg.prefetch === false) return;
    var to = shiftDay(s.end, days) > last ? last : shiftDay(s.end, days);
    var q = new URLSearchParams(p.toString());
    var whole = !(this.cache && this.cache.complete);
    if (whole && !s.start) return;
    // the window moves as Viewer.step moves it: by the days the end can still move
    var from = whole ? shiftDay(s.start, toDay(to) - toDay(s.end)) : shiftDay(s.end, 1);
    q.set("datetime", from + "/" + to);
    var k = q.toString();
    if (this.prefetched && this.prefetched[k]) return;
    this.prefetched = {};  // keep only the next step's slice
    this.prefetched[k] = new Promise(function (resolve) {
      (window.requestIdleCallback || setTimeout)(function () { resolve(); }, { timeout: 300 });
    }).then(function () { return self.fetchItems(q, null); });
    this.prefetched[k].catch(function () { delete self.prefetched[k]; });
  };

  Viewer.prototype.refresh = function () {
    var self = this, s = this.state;
    if (this.cfg.mode !== "api") {
      this.writeUrl();
      var all = this.cfg.data.features || [];
      var shown = all.filter(function (f) { return matches(self, f); });
      this.matching = shown;  // the static download: every match, with or without a place
      this.draw(shown, shown.length);
      return Promise.resolve();
    }
    if (this.abort) this.abort.abort();
    if (!this.visibleTypes().length) { this.writeUrl(); this.cache = null; this.draw([], 0); return Promise.resolve(); }
    var ctl = (this.abort = window.AbortController ? new AbortController() : null);
    var p = this.queryParams();
    p.set("limit", String(this.cfg.limit));
    var want = { start: s.start, end: s.end, bbox: p.has("bbox") ? p.get("bbox").split(",").map(Number) : null };
    var key = JSON.stringify([this.visibleTypes(), s.actor, s.status, s.q, s.precise]);
    var c = this.cache && this.cache.key === key && this.cache.complete ? this.cache : null;
    var t0 = performance.now();
    function local(features) {
      return features.filter(function (f) { return inWindow(f, want); });
    }
    // 1. the loaded events already cover the new view (zoom in, narrower window): no request
    if (c && c.start <= want.start && want.end <= c.end && boxContains(c.bbox, want.bbox)) {
      this.writeUrl();
      var kept = local(c.features);
      this.cache = { key: key, start: want.start, end: want.end, bbox: want.bbox, features: kept, complete: true };
      this.timing = { fetch: 0, source: "cache" };
      this.draw(kept, kept.length);
      return Promise.resolve();
    }
    // 2. same place, the window moved or grew: ask only for the days not loaded yet
    var slices = null;
    if (c && sameBox(c.bbox, want.bbox) && want.start <= shiftDay(c.end, 1) && want.end >= shiftDay(c.start, -1)) {
      slices = [];
      if (want.start < c.start) slices.push([want.start, shiftDay(c.start, -1)]);
      if (want.end > c.end) slices.push([shiftDay(c.end, 1), want.end]);
    }
    var requests = slices ? slices.map(function (sl) {
      var q = new URLSearchParams(p.toString());
      q.set("datetime", sl[0] + "/" + sl[1]);
      var loaded = self.prefetched && self.prefetched[q.toString()];
      return loaded || self.fetchItems(q, ctl);
    }) : null;
    // a page of the whole window loaded ahead (the step after an incomplete page)
    var ahead = !slices && this.prefetched && this.prefetched[p.toString()];
    if (!slices) requests = [ahead || this.fetchItems(p, ctl)];
    // the requests are out: the server works while the URL and the controls are updated
    this.writeUrl();
    this.pending += 1;
    this.emit();
    return Promise.all(requests)
      .then(function (answers) {
        if (ctl && ctl.signal.aborted) return null;
        var complete = answers.every(function (a) { return a.complete; });
        var byId = {}, merged = [], known = self.features || {};
        // an event drawn already and alike in the new page keeps the object it was drawn
        // from: the page's copy is dropped at once, so the events a step keeps are not
        // copied again into the script's long-lived memory (fewer, shorter collections)
        function take(f) {
          var id = String(f.id || (f.properties || {}).event_id);
          if (byId[id]) return;
          byId[id] = true;
          var old = known[id];
          merged.push(old && old !== f && sameEvent(old, f) ? old : f);
        }
        if (slices) local(c.features).forEach(take);
        answers.forEach(function (a) { a.features.forEach(take); });
        if (slices && (!complete || merged.length > self.cfg.limit)) {
          self.cache = null;  // the slices hit the page limit: ask for the whole view instead
          return "again";
        }
        var matched = slices ? merged.length : answers[0].matched;
        self.cache = { key: key, start: want.start, end: want.end, bbox: want.bbox, features: merged, complete: complete };
        self.timing = { fetch: performance.now() - t0, source: slices ? "slices" : ahead ? "prefetched" : "full" };
        self.draw(merged, matched, true);  // emitted below, once pending is down
        self.prefetch(p);
        return null;
      })
      .catch(function (err) {
        if (err && err.name === "AbortError") return null;
        self.error = String(err && err.message ? err.message : err);
        if (window.console) window.console.warn(self.error);
        return null;
      })
      .then(function (next) {
        self.pending -= 1;
        if (next === "again") return self.refresh();
        self.emit();
        return null;
      });
  };

  // (spare: symbols of the same type taken off the map by this draw, one of which a point
  // event takes over instead of a new one)
  Viewer.prototype.symbolFor = function (f, spare) {
    var p = f.properties || {}, t = this.types[p.event_type] || this.cfg.fallback;
    var g = f.geometry, prec = p.geo_precision || "exact", r = this.renderer;
    var faint = assumed(p), dim = faint.date || faint.place ? 0.45 : 1;
    // an area is an outline and a light hatch in its type's colour, never a fill: the outline
    // is one neutral colour whatever the type, so stacked areas do not change colour
    function area() {
      return { renderer: r, cmArea: true, color: "#4a4a4a", weight: 1.2, opacity: 0.8 * dim,
        fillColor: hatch(t.color), fillOpacity: AREA_FILL * dim, dashArray: "5 4" };
    }
    var shape = null;
    if (g && g.type !== "Point") shape = L.geoJSON(g, { style: area(), renderer: r });
    var lat = p.latitude, lon = p.longitude;
    if (g && g.type === "Point") { lon = g.coordinates[0]; lat = g.coordinates[1]; }
    if (!shape && (lat === null || lat === undefined || lon === null || lon === undefined)) return null;
    if (!shape && this.area[prec]) shape = L.circle([lat, lon], L.extend({ radius: this.area[prec] }, area()));
    if (shape) {
      shape.cmDim = dim;
      // events at one area share its fill (see draw): one key per place and precision
      shape.cmAreaKey = (p.geonameid !== null && p.geonameid !== undefined ? "g" + p.geonameid : "e" + f.id) + "/" + prec;
      return shape;
    }
    var hollow = this.drawnAs[prec] !== "point";
    var style = { color: hollow ? t.color : "#222", weight: hollow ? 2 : 1, fillColor: t.color,
      fillOpacity: (hollow ? 0.15 : 0.9) * dim, opacity: dim, dashArray: hollow || dim < 1 ? "3 2" : null };
    var marker = spare && spare.length ? spare.pop() : null;
    if (marker) {
      if (marker.getTooltip()) marker.unbindTooltip();  // closed if open: its event is gone
      // one redraw of it (setLatLng and setStyle would each redraw it, setStyle twice)
      marker._latlng = L.latLng(lat, lon);
      L.setOptions(marker, style);
      r._updateDashArray(marker);
      marker.redraw();
    } else {
      marker = new CM.ShapeMarker([lat, lon], L.extend({ renderer: r, shape: t.shape, radius: 6 }, style));
    }
    marker.cmDim = dim;
    return marker;
  };

  // draw the events of the view: keep the symbols already on the map, add and remove the rest
  // (quiet: the caller emits; a step of the slider tells the listeners once, not twice)
  Viewer.prototype.draw = function (features, matched, quiet) {
    var self = this, counts = {}, next = {}, drawn = this.drawn || {};
    var t0 = performance.now();
    Object.keys(this.layers).forEach(function (k) { counts[k] = 0; });
    features.forEach(function (f) {
      var p = f.properties || {};
      if (!self.layers[p.event_type]) return;
      next[String(f.id || p.event_id)] = f;
    });
    // the points taken off are kept aside by type: a new point of that type takes one over
    // (moved and restyled in place: cheaper than a symbol removed and another added, which
    // is most of a step's work when thousands of events come and go)
    var spare = {};
    Object.keys(drawn).forEach(function (id) {
      if (!next[id] || next[id] !== self.features[id] && next[id].properties.updated_at !== self.features[id].properties.updated_at) {
        var old = drawn[id];
        if (old instanceof CM.ShapeMarker) (spare[old.cmType] = spare[old.cmType] || []).push(old);
        else self.layers[old.cmType].removeLayer(old);
        delete drawn[id];
      }
    });
    var shown = 0, unplaced = 0;
    Object.keys(next).forEach(function (id) {
      var f = next[id], p = f.properties, group = self.layers[p.event_type];
      if (!drawn[id]) {
        var layer = self.symbolFor(f, spare[p.event_type]);
        // an event with no place (e.g. a statement) matches but has nothing to draw
        if (!layer) { delete next[id]; unplaced += 1; return; }
        layer.cmId = id;  // clicks and hovers reach the type's group (see Viewer)
        layer.cmFeature = f;
        if (layer.cmType !== p.event_type) {  // a new symbol (a spare one is on the map)
          layer.cmType = p.event_type;
          group.addLayer(layer);
          // areas are drawn under every point (one canvas: draw order is hit-test order)
          if ((f.geometry && f.geometry.type !== "Point") || layer instanceof L.Circle) {
            if (self.map.hasLayer(group)) layer.bringToBack();
          }
        }
        drawn[id] = layer;
      }
      counts[p.event_type] += 1;
      shown += 1;
    });
    Object.keys(spare).forEach(function (type) {
      spare[type].forEach(function (layer) { self.layers[type].removeLayer(layer); });
    });
    this.shareAreaFill(drawn, next);
    this.drawn = drawn;
    this.features = next;
    this.counts = counts;
    this.shown = shown;
    this.unplaced = unplaced;
    // null: more match than were counted (the API left numberMatched out)
    this.more = matched === null;
    this.matched = matched === null ? null : Math.max(matched - unplaced, shown);
    this.renderCount += 1;
    this.lastDrawAt = performance.now();
    if (this.timing) this.timing.draw = this.lastDrawAt - t0;
    if (this.state.event && !this.popupRestored) {
      this.popupRestored = true;
      this.restoring = true;  // the link's view is kept: its popup does not pan the map
      this.select(this.state.event);
      this.restoring = false;
    }
    if (!quiet) this.emit();
  };

  // a tooltip on hover, made when first needed (the text through textContent)
  Viewer.prototype.hover = function (layer, latlng) {
    var self = this;
    if (!layer || layer.getTooltip() || !CM.tooltipContent) return;
    // the event the symbol draws when the tooltip shows (a step may give it another)
    layer.bindTooltip(function () { return CM.tooltipContent(self, self.features[layer.cmId] || layer.cmFeature); },
      { sticky: true, direction: "top", className: "cm-tooltip", opacity: 0.95 });
    layer.openTooltip(latlng);
  };

  // Events stacked on one area split its fill, so that ten events at an oblast do not paint
  // it opaque: together they reach AREA_FILL, one alone has it.
  var AREA_FILL = 0.6;
  Viewer.prototype.shareAreaFill = function (drawn, features) {
    var stacks = {};
    Object.keys(drawn).forEach(function (id) {
      var key = drawn[id].cmAreaKey;
      if (key) (stacks[key] = stacks[key] || []).push(id);
    });
    Object.keys(stacks).forEach(function (key) {
      var ids = stacks[key], a = 1 - Math.pow(1 - AREA_FILL, 1 / ids.length);
      ids.forEach(function (id) {
        var l = drawn[id], f = a * (l.cmDim || 1);
        if (l.cmFill !== f) { l.cmFill = f; l.setStyle({ fillOpacity: f }); }
      });
    });
    this.drawBadges(stacks, features);
  };

  // A badge at each named area holding events: a hollow symbol and a count per event type,
  // so that what happened there shows without a click; a click on it lists the events.
  var BADGES = 200;
  Viewer.prototype.drawBadges = function (stacks, features) {
    var self = this;
    if (!this.badges) this.badges = L.layerGroup().addTo(this.map);
    this.badges.clearLayers();
    var keys = Object.keys(stacks).filter(function (k) { return k.charAt(0) === "g"; });
    keys.sort(function (a, b) { return stacks[b].length - stacks[a].length; });
    keys.slice(0, BADGES).forEach(function (key) {
      var ids = stacks[key], p = (features[ids[0]] || {}).properties || {};
      if (p.latitude === null || p.latitude === undefined) return;
      var per = {};
      ids.forEach(function (id) {
        var t = ((features[id] || {}).properties || {}).event_type;
        per[t] = (per[t] || 0) + 1;
      });
      var box = el("div", "cm-badge");
      box.setAttribute("role", "button");
      box.setAttribute("tabindex", "0");
      box.setAttribute("data-area", key);
      var label = [];
      self.cfg.types.forEach(function (t) {
        if (!per[t.id]) return;
        var item = el("span", "cm-badge-item");
        var c = el("canvas");
        c.width = c.height = 14;
        var ctx = c.getContext("2d");
        ctx.beginPath();
        CM.shapePath(ctx, t.shape, 7, 7, 5);
        ctx.fillStyle = "#fff";
        ctx.fill();
        ctx.lineWidth = 2;
        ctx.strokeStyle = t.color;
        ctx.stroke();
        item.appendChild(c);
        item.appendChild(el("span", null, per[t.id]));
        box.appendChild(item);
        label.push(per[t.id] + " " + t.label);
      });
      box.setAttribute("title", (p.location_name || "area") + ": " + label.join(", "));
      var where = L.latLng(p.latitude, p.longitude);
      var open = function (e) {
        if (e) L.DomEvent.stop(e);
        self.choose(ids, where);
      };
      box.addEventListener("click", open);
      box.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") open(e); });
      L.DomEvent.disableClickPropagation(box);
      var icon = L.divIcon({ html: box, className: "cm-badge-icon", iconSize: null });
      self.badges.addLayer(L.marker(where, { icon: icon, keyboard: false, interactive: true }));
    });
  };

  // the ids of the drawn events whose symbol or area contains a point of the map
  Viewer.prototype.hitsAt = function (latlng, areas) {
    var map = this.map, drawn = this.drawn || {}, p = map.latLngToLayerPoint(latlng), hits = [];
    function contains(layer) {
      if (!layer._map) return false;
      if (layer.eachLayer && !layer._containsPoint) {
        var found = false;
        layer.eachLayer(function (part) { found = found || contains(part); });
        return found;
      }
      return !!(layer._containsPoint && layer._pxBounds && layer._containsPoint(p));
    }
    Object.keys(drawn).forEach(function (id) {
      if (!drawn[id].cmAreaKey === !areas && contains(drawn[id])) hits.push(id);
    });
    return hits;
  };

  // a click: the event itself, or a list to choose from when several are drawn there (points
  // are drawn over areas, so a click on a point chooses among the points under it only)
  Viewer.prototype.pick = function (id, latlng) {
    var self = this, layer = (this.drawn || {})[id];
    var hits = this.hitsAt(latlng, !!(layer && layer.cmAreaKey));
    if (hits.indexOf(id) < 0) hits.push(id);
    this.choose(hits, latlng);
  };

  // open the one event, or a list of several to choose from
  Viewer.prototype.choose = function (ids, latlng) {
    var self = this;
    if (ids.length < 2) { this.select(ids[0], latlng); return; }
    var features = ids.map(function (h) { return self.features[h]; }).filter(Boolean);
    L.popup(this.popupFit())
      .setLatLng(latlng)
      .setContent(CM.chooserContent(this, features, function (chosen) { self.select(chosen, latlng); }))
      .openOn(this.map);
  };

  // popups sized and panned into the space the controls leave (layout.js), when present
  Viewer.prototype.popupFit = function () {
    var opts = this.popupOptions ? this.popupOptions()
      : { maxWidth: 380, maxHeight: 360, autoPan: !this.cfg.static_shot };
    if (this.restoring) opts.autoPan = false;
    return opts;
  };

  Viewer.prototype.latlngOf = function (f) {
    var p = f.properties || {}, g = f.geometry;
    if (p.latitude !== null && p.latitude !== undefined) return L.latLng(p.latitude, p.longitude);
    if (g && g.type === "Point") return L.latLng(g.coordinates[1], g.coordinates[0]);
    if (g) return L.geoJSON(g).getBounds().getCenter();
    return null;
  };

  Viewer.prototype.openPopup = function (f, latlng) {
    var where = latlng || this.latlngOf(f);
    if (!where) return;
    // set before opening: the popup it replaces closes as this one opens
    this.eventPopup = L.popup(this.popupFit())
      .setLatLng(where).setContent(CM.popupContent(this, f));
    this.eventPopup.openOn(this.map);
  };

  Viewer.prototype.select = function (id, latlng) {
    var self = this, f = this.features[id];
    this.state.event = id;
    this.popupRestored = true;  // the link's event is shown (or another chosen): not again
    this.writeUrl();
    if (f && !f.slim) { this.openPopup(f, latlng); this.emit(); return; }
    if (this.cfg.mode !== "api") return;
    // not loaded, or loaded with only the fields the map draws: the whole event first
    var restoring = this.restoring;
    fetch(this.cfg.api.item + encodeURIComponent(id), { headers: { Accept: "application/geo+json" } })
      .then(function (r) { if (!r.ok) throw new Error("event " + id + " not found"); return r.json(); })
      .then(function (full) {
        if (self.state.event !== id) return;  // another event was chosen meanwhile
        self.restoring = restoring;
        self.openPopup(full, f ? latlng : undefined);
        self.restoring = false;
        self.emit();
      })
      .catch(function () {
        self.notice("event", id, "event=" + id + " was not found (deleted, or another store): ignored");
        self.state.event = "";
        self.writeUrl();
      });
  };

  Viewer.prototype.start = function () {
    var self = this, s = this.state;
    if (!isNaN(s.lat) && !isNaN(s.lon)) {
      this.map.setView([s.lat, s.lon], isNaN(s.z) ? this.map.getZoom() : s.z, { animate: false });
    } else if (this.cfg.bounds) {
      this.map.fitBounds(this.cfg.bounds, { animate: false, maxZoom: 8 });
    }
    if (s.types) {
      this.cfg.types.forEach(function (t) {
        if (s.types.indexOf(t.id) < 0) self.map.removeLayer(self.layers[t.id]);
      });
    }
    Object.keys(this.overlays || {}).forEach(function (id) {
      var o = self.overlays[id], on = s.layers ? s.layers.indexOf(id) >= 0 : o.shown;
      if (on && !self.map.hasLayer(o.layer)) o.layer.addTo(self.map);
      if (!on && self.map.hasLayer(o.layer)) self.map.removeLayer(o.layer);
    });
    if (s.layers) {
      s.layers.forEach(function (id) {
        if (!(self.overlays || {})[id]) self.notice("layers", id, "layers=" + id + ": this map has no such layer now: ignored");
      });
    }
    if (s.basemap && this.chooseBasemap && !this.chooseBasemap(s.basemap)) {
      this.notice("basemap", s.basemap, "basemap=" + s.basemap + " is not one of " + Object.keys(this.baseLayers || {}).join(", ") + ": ignored");
    }
    var again = debounce(function () { self.refresh(); }, 150);
    this.map.on("moveend", again);
    this.map.on("overlayadd overlayremove", again);
    this.map.on("popupclose", function (e) {
      if (e.popup !== self.eventPopup) return;  // a list of choices, or a replaced popup
      self.eventPopup = null;
      self.state.event = "";
      self.writeUrl();
    });
    this.scheduleRefresh = again;
    return this.refresh();
  };

  CM.viewer = function (map, cfg) { return new Viewer(map, cfg); };
  CM.safeHref = safeHref;
  CM.assumed = assumed;
  CM.el = el;
  CM.toDay = toDay;
  CM.fromDay = fromDay;
  CM.debounce = debounce;
  CM.fmtInt = fmtInt;
  CM.readJson = function (id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  };
})();
