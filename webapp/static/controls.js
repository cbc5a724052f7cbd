/* conflictmap map controls: basemap, legend, time window with playback, filters, the tools
 * panel (counts, permalink, downloads, embed snippet) and the "data as of" stamp. */
(function () {
  "use strict";

  var CM = window.ConflictMap;
  var el = CM.el;

  function control(position, cls, build) {
    var C = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        var box = el("div", "leaflet-control cm-control " + cls);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        build(box);
        return box;
      }
    });
    return new C();
  }

  function labelled(text, input) {
    var lab = el("label", "cm-field");
    lab.appendChild(el("span", null, text));
    lab.appendChild(input);
    return lab;
  }

  // ---- offline basemap and layer control -------------------------------------------------
  CM.addBasemap = function (viewer, cfg) {
    var map = viewer.map;
    map.createPane("cmBasemap");
    map.getPane("cmBasemap").style.zIndex = 150;
    var renderer = L.canvas({ pane: "cmBasemap", padding: 0.3 });
    var styles = {
      country: { color: "#8a8a8a", weight: 0.8, fillColor: "#f3f0e8", fillOpacity: 1 },
      admin1: { color: "#b5b0a5", weight: 0.6, fill: false, dashArray: "2 3" }
    };
    var base = {}, overlays = {};
    function layerFor(level, data) {
      var lyr = L.geoJSON(null, { style: styles[level], interactive: false, renderer: renderer,
        pane: "cmBasemap" });
      if (data) lyr.addData(data);
      else if (cfg.urls && cfg.urls[level]) {
        lyr.once("add", function () {
          fetch(cfg.urls[level]).then(function (r) { return r.json(); })
            .then(function (fc) {
              lyr.addData(fc);
              if (viewer.regionBorders) viewer.regionBorders();
              viewer.basemapLoaded = (viewer.basemapLoaded || 0) + 1;
              viewer.emit();
            })
            .catch(function (e) { viewer.error = "basemap: " + e; });
        });
      }
      return lyr;
    }
    var inline = cfg.inline || {};
    var countries = layerFor("country", inline.country ? CM.readJson(inline.country) : null);
    base["Countries (Natural Earth, offline)"] = countries.addTo(map);
    // permalink ids of the base layers: "countries", then each tile layer's name as a slug
    viewer.baseLayers = { countries: countries };
    viewer.baseNames = { countries: "Countries (Natural Earth, offline)" };
    viewer.defaultBasemap = viewer.basemapId = "countries";
    if ((cfg.urls && cfg.urls.admin1) || inline.admin1) {
      // admin1 outlines are several megabytes: fetched only when the reader turns them on
      overlays["Regions (admin1)"] = layerFor("admin1", inline.admin1 ? CM.readJson(inline.admin1) : null);
      if (inline.admin1) overlays["Regions (admin1)"].addTo(map);
      viewer.addOverlay("regions", overlays["Regions (admin1)"], !!inline.admin1, "Regions (admin1)");
      // country and admin1 outlines are simplified apart and do not meet exactly: with the
      // regions on, the borders are drawn once, by the regions' outlines
      var regions = overlays["Regions (admin1)"];
      var borders = function () {
        var on = map.hasLayer(regions);
        countries.setStyle({ weight: on ? 0 : styles.country.weight });
        regions.setStyle({ dashArray: on ? null : styles.admin1.dashArray, color: "#9a958a" });
      };
      countries.on("add", borders);
      map.on("layeradd layerremove", function (e) { if (e.layer === regions) borders(); });
      viewer.regionBorders = borders;
    }
    (cfg.tiles || []).forEach(function (t) {
      base[t.name] = L.tileLayer(t.url, { attribution: t.attribution, maxZoom: t.max_zoom || 18 });
      var slug = String(t.name).toLowerCase().replace(/[^a-z0-9]+/g, "-");
      viewer.baseLayers[slug] = base[t.name];
      viewer.baseNames[slug] = t.name;
    });
    viewer.chooseBasemap = function (id) {
      var chosen = viewer.baseLayers[id];
      if (!chosen) return false;
      Object.keys(viewer.baseLayers).forEach(function (k) {
        if (k !== id && map.hasLayer(viewer.baseLayers[k])) map.removeLayer(viewer.baseLayers[k]);
      });
      if (!map.hasLayer(chosen)) chosen.addTo(map);
      viewer.basemapId = id;
      return true;
    };
    map.on("baselayerchange", function (e) {
      Object.keys(viewer.baseLayers).forEach(function (k) {
        if (viewer.baseLayers[k] === e.layer) viewer.basemapId = k;
      });
      viewer.writeUrl();
    });
    var attribution = el("span", null, cfg.attribution || "");
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(attribution.innerHTML);
  };

  // ---- time window with playback ---------------------------------------------------------
  CM.addTimeControl = function (viewer, opts) {
    var ext = viewer.cfg.extent || {};
    var lo = CM.toDay(ext.start), hi = CM.toDay(ext.end);
    if (lo === null || hi === null) return;
    var s = viewer.state;
    var ui = {};
    var playing = null;
    function clampDay(d) { return Math.max(lo, Math.min(hi, d)); }
    function sync() {
      var a = CM.toDay(s.start), b = CM.toDay(s.end);
      ui.from.value = String(a === null ? lo : a);
      ui.to.value = String(b === null ? hi : b);
      ui.label.textContent = (s.start || ext.start) + " → " + (s.end || ext.end);
      // the window's length: "as of" is said once, by the stamp (the data's date)
      var days = (b === null ? hi : b) - (a === null ? lo : a) + 1;
      ui.asof.textContent = days + (days === 1 ? " day" : " days");
    }
    function set(a, b, now) {
      a = clampDay(a); b = clampDay(b);
      if (b < a) { var t = a; a = b; b = t; }
      s.start = CM.fromDay(a);
      s.end = CM.fromDay(b);
      // the events are asked for first: the request is out while the controls redraw
      if (now) viewer.refresh(); else viewer.scheduleRefresh();
      sync();
      viewer.emitWindow();
    }
    viewer.emitWindow = function () {
      if (viewer.filterSync) viewer.filterSync();
    };
    viewer.setWindow = function (start, end) {
      set(CM.toDay(start), CM.toDay(end), true);
    };
    function stepDays() { return parseInt(ui.step.value, 10) || 7; }
    viewer.stepDays = stepDays;
    function stop() {
      if (playing) clearInterval(playing);
      playing = null;
      ui.play.textContent = "▶";
      ui.play.setAttribute("aria-label", "Play");
    }
    viewer.step = function (n) {
      var a = CM.toDay(s.start), b = CM.toDay(s.end), d = stepDays() * (n || 1);
      if (b + d > hi) d = hi - b;
      if (a + d < lo) d = lo - a;
      if (!d) return false;
      set(a + d, b + d, true);
      return true;
    };
    var ctl = control("bottomleft", "cm-time", function (box) {
      ui.play = el("button", "cm-play", "▶");
      ui.play.type = "button";
      ui.play.setAttribute("aria-label", "Play");
      ui.back = el("button", "cm-back", "«");
      ui.back.type = "button";
      ui.back.setAttribute("aria-label", "Step back");
      ui.fwd = el("button", "cm-forward", "»");
      ui.fwd.type = "button";
      ui.fwd.setAttribute("aria-label", "Step forward");
      ui.step = el("select", "cm-step");
      [["1", "1 day"], ["7", "1 week"], ["30", "30 days"]].forEach(function (o) {
        var opt = el("option", null, o[1]);
        opt.value = o[0];
        ui.step.appendChild(opt);
      });
      ui.step.value = s.step || String(opts && opts.step_days ? opts.step_days : 7);
      ui.from = el("input", "cm-from");
      ui.to = el("input", "cm-to");
      [ui.from, ui.to].forEach(function (r) {
        r.type = "range"; r.min = String(lo); r.max = String(hi); r.step = "1";
      });
      ui.hist = el("canvas", "cm-histogram");
      ui.hist.setAttribute("role", "img");
      ui.hist.setAttribute("aria-label", "Events per day by type: drag to choose the window");
      ui.from.setAttribute("aria-label", "Window start");
      ui.to.setAttribute("aria-label", "Window end");
      ui.label = el("span", "cm-window");
      ui.asof = el("strong", "cm-asof");
      var buttons = el("div", "cm-time-buttons");
      [ui.back, ui.play, ui.fwd, ui.step].forEach(function (n) { buttons.appendChild(n); });
      box.appendChild(buttons);
      box.appendChild(ui.hist);
      var sliders = el("div", "cm-time-sliders");
      sliders.appendChild(ui.from);
      sliders.appendChild(ui.to);
      box.appendChild(sliders);
      var text = el("div", "cm-time-text");
      text.appendChild(ui.label);
      text.appendChild(document.createTextNode(" · "));
      text.appendChild(ui.asof);
      box.appendChild(text);
    });
    ctl.addTo(viewer.map);
    sync();
    ui.from.addEventListener("input", function () {
      set(parseInt(ui.from.value, 10), Math.max(parseInt(ui.from.value, 10), CM.toDay(s.end)));
    });
    ui.to.addEventListener("input", function () {
      set(Math.min(parseInt(ui.to.value, 10), CM.toDay(s.start)), parseInt(ui.to.value, 10));
    });
    ui.step.addEventListener("change", function () { viewer.writeUrl(); });
    ui.back.addEventListener("click", function () { stop(); viewer.step(-1); });
    ui.fwd.addEventListener("click", function () { stop(); viewer.step(1); });
    ui.play.addEventListener("click", function () {
      if (playing) { stop(); return; }
      var a0 = CM.toDay(s.start), b0 = CM.toDay(s.end);
      if (a0 <= lo && b0 >= hi) {
        // the window holds every date: play from the start, one step wide
        set(lo, lo + stepDays() - 1, true);
      } else if (b0 >= hi) {
        set(lo, lo + (b0 - a0), true);
      }
      ui.play.textContent = "❚❚";
      ui.play.setAttribute("aria-label", "Pause");
      playing = setInterval(function () {
        if (viewer.pending) return;
        if (!viewer.step(1)) stop();
      }, (opts && opts.play_ms) || 1200);
    });
    viewer.timeSync = sync;
    addHistogram(viewer, ui, lo, hi, function (a, b) { stop(); set(a, b, true); });
    var again = sync;
    sync = function () { again(); if (ui.drawHistogram) ui.drawHistogram(); };
    viewer.timeSync = sync;
  };

  // ---- the histogram under the slider: events per day or week, stacked by type -----------
  function addHistogram(viewer, ui, lo, hi, choose) {
    var canvas = ui.hist, rows = [], bins = null, key = null;
    var span = hi - lo + 1, width = span > 180 ? 7 : 1;  // days per bin
    var nbins = Math.ceil(span / width), brush = null;
    viewer.histogram = { bins: nbins, binDays: width, total: 0, loads: 0 };
    function binOf(day) { return Math.min(nbins - 1, Math.max(0, Math.floor((day - lo) / width))); }
    function build() {
      bins = [];
      for (var i = 0; i < nbins; i++) bins.push({});
      var total = 0;
      rows.forEach(function (r) {
        var d = CM.toDay(r[0]);
        if (d === null) return;
        var b = bins[binOf(d)];
        b[r[1]] = (b[r[1]] || 0) + r[2];
        total += r[2];
      });
      viewer.histogram.total = total;
      viewer.histogram.counts = bins.map(function (b) {
        return Object.keys(b).reduce(function (n, k) { return n + b[k]; }, 0);
      });
    }
    function draw() {
      var w = canvas.clientWidth || 300, h = canvas.clientHeight || 36, dpr = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(w * dpr)) { canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr); }
      var ctx = canvas.getContext("2d");
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);
      if (!bins) return;
      var max = 1;
      bins.forEach(function (b) {
        var n = 0;
        Object.keys(b).forEach(function (k) { n += b[k]; });
        max = Math.max(max, n);
      });
      var bw = w / nbins, s = viewer.state;
      var a = CM.toDay(s.start), z = CM.toDay(s.end);
      if (brush) { a = Math.min(brush[0], brush[1]); z = Math.max(brush[0], brush[1]); }
      bins.forEach(function (b, i) {
        var y = h, inside = lo + (i + 1) * width - 1 >= a && lo + i * width <= z;
        viewer.cfg.types.forEach(function (t) {
          var n = b[t.id];
          if (!n) return;
          var bh = (n / max) * (h - 2);
          ctx.globalAlpha = inside ? 0.95 : 0.3;
          ctx.fillStyle = t.color;
          ctx.fillRect(i * bw, y - bh, Math.max(1, bw - (bw > 3 ? 1 : 0)), bh);
          y -= bh;
        });
      });
      ctx.globalAlpha = 1;
      var x0 = ((a - lo) / span) * w, x1 = ((z - lo + 1) / span) * w;
      ctx.strokeStyle = "#2a6fb0";
      ctx.lineWidth = 1.5;
      ctx.strokeRect(Math.max(0.75, x0), 0.75, Math.max(2, x1 - x0) - 1.5, h - 1.5);
    }
    ui.drawHistogram = draw;
    function reload() {
      // after the events: the first paint never waits for the histogram
      if (!viewer.renderCount || viewer.pending) return;
      var p = viewer.queryParams ? viewer.queryParams() : null;
      if (p) p.delete("datetime");
      var k = (p ? p.toString() : "") + "|" + viewer.visibleTypes().join();
      if (k === key) return;
      key = k;
      viewer.dayCounts().then(function (r) {
        if (k !== key) return;
        rows = r;
        build();
        draw();
        viewer.histogram.loads += 1;
        viewer.histogram.readyAt = performance.now();
      }).catch(function () { /* the slider works without it */ });
    }
    viewer.on(CM.debounce(reload, 100));
    function dayAt(e) {
      var r = canvas.getBoundingClientRect();
      return lo + Math.floor(((e.clientX - r.left) / r.width) * span);
    }
    canvas.addEventListener("pointerdown", function (e) {
      brush = [dayAt(e), dayAt(e)];
      canvas.setPointerCapture(e.pointerId);
      draw();
    });
    canvas.addEventListener("pointermove", function (e) {
      if (!brush) return;
      brush[1] = dayAt(e);
      draw();
    });
    canvas.addEventListener("pointerup", function (e) {
      if (!brush) return;
      var a = Math.min(brush[0], dayAt(e)), b = Math.max(brush[0], dayAt(e));
      brush = null;
      if (a === b) {  // a click: that bin
        a = lo + binOf(a) * width;
        b = Math.min(hi, a + width - 1);
      }
      choose(Math.max(lo, a), Math.min(hi, b));
    });
    window.addEventListener("resize", CM.debounce(draw, 100));
    draw();
  }

  // ---- filters ---------------------------------------------------------------------------
  CM.addFilters = function (viewer, opts) {
    var s = viewer.state, ui = {};
    var ctl = control("topleft", "cm-filters", function (box) {
      var details = el("details");
      details.open = !!(s.actor || s.status || s.q || s.precise);
      details.appendChild(el("summary", null, "Filters"));
      ui.q = el("input"); ui.q.type = "search"; ui.q.name = "q"; ui.q.value = s.q;
      ui.q.placeholder = "summary, place, quote…";
      ui.actor = el("input"); ui.actor.type = "text"; ui.actor.name = "actor"; ui.actor.value = s.actor;
      ui.status = el("select"); ui.status.name = "status";
      [""].concat(opts.statuses).forEach(function (v) {
        var o = el("option", null, v || "any"); o.value = v; ui.status.appendChild(o);
      });
      ui.status.value = s.status;
      ui.precise = el("input"); ui.precise.type = "checkbox"; ui.precise.name = "precise";
      ui.precise.checked = !!s.precise;
      ui.start = el("input"); ui.start.type = "date"; ui.start.name = "start";
      ui.end = el("input"); ui.end.type = "date"; ui.end.name = "end";
      var reset = el("button", "cm-reset", "Reset filters"); reset.type = "button";
      details.appendChild(labelled("Text", ui.q));
      details.appendChild(labelled("Actor", ui.actor));
      details.appendChild(labelled("Status", ui.status));
      var precise = labelled("Precise places only", ui.precise);
      precise.title = "Only events placed at a named place (no areas, no 'near', no assumed place)";
      details.appendChild(precise);
      details.appendChild(labelled("From", ui.start));
      details.appendChild(labelled("To", ui.end));
      details.appendChild(reset);
      box.appendChild(details);
      ui.reset = reset;
    });
    ctl.addTo(viewer.map);
    viewer.filterSync = function () {
      ui.start.value = s.start || "";
      ui.end.value = s.end || "";
    };
    viewer.filterSync();
    var apply = CM.debounce(function () {
      s.q = ui.q.value.trim();
      s.actor = ui.actor.value.trim();
      s.status = ui.status.value;
      s.precise = ui.precise.checked;
      viewer.refresh();
    }, 300);
    ["input", "change"].forEach(function (ev) {
      ui.q.addEventListener(ev, apply);
      ui.actor.addEventListener(ev, apply);
      ui.status.addEventListener(ev, apply);
    });
    ui.precise.addEventListener("change", apply);
    function dates() {
      if (CM.toDay(ui.start.value) === null || CM.toDay(ui.end.value) === null) return;
      if (viewer.setWindow) viewer.setWindow(ui.start.value, ui.end.value);
      else { s.start = ui.start.value; s.end = ui.end.value; viewer.refresh(); }
    }
    ui.start.addEventListener("change", dates);
    ui.end.addEventListener("change", dates);
    ui.reset.addEventListener("click", function () {
      ui.q.value = ""; ui.actor.value = ""; ui.status.value = ""; ui.precise.checked = false;
      s.q = ""; s.actor = ""; s.status = ""; s.precise = false;
      var ext = viewer.cfg.extent || {};
      if (viewer.setWindow && ext.start) viewer.setWindow(ext.start, ext.end);
      else viewer.refresh();
    });
  };

  // ---- tools: counts, permalink, downloads, embed snippet ----------------------------------
  CM.addTools = function (viewer, opts) {
    var ui = {};
    var ctl = control("topleft", "cm-tools", function (box) {
      ui.status = el("div", "cm-status", "Loading events…");
      ui.status.setAttribute("role", "status");
      box.appendChild(ui.status);
      if (viewer.cfg.embed) return;
      var row = el("div", "cm-tool-buttons");
      ui.link = el("button", "cm-permalink", "Permalink"); ui.link.type = "button";
      row.appendChild(ui.link);
      ui.dl = el("details", "cm-download");
      ui.dl.appendChild(el("summary", null, "Download"));
      ui.dlinks = {};
      opts.formats.forEach(function (f) {
        var a = el("a", "cm-dl-" + f.id, f.label);
        a.setAttribute("download", "");
        ui.dlinks[f.id] = a;
        ui.dl.appendChild(a);
      });
      row.appendChild(ui.dl);
      if (viewer.cfg.mode === "api") {
        ui.embed = el("button", "cm-embed", "Embed"); ui.embed.type = "button";
        row.appendChild(ui.embed);
      }
      box.appendChild(row);
      ui.out = el("div", "cm-share");
      ui.out.hidden = true;
      ui.text = el("textarea", "cm-share-text");
      ui.text.readOnly = true;
      ui.text.rows = 3;
      ui.out.appendChild(ui.text);
      box.appendChild(ui.out);
    });
    ctl.addTo(viewer.map);
    function show(text) {
      ui.out.hidden = false;
      ui.text.value = text;
      ui.text.focus();
      ui.text.select();
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).catch(function () {});
    }
    if (ui.link) ui.link.addEventListener("click", function () { show(viewer.permalink()); });
    if (ui.embed) {
      ui.embed.addEventListener("click", function () {
        var src = viewer.permalink(viewer.cfg.embed_url);
        show('<iframe src="' + src.replace(/&/g, "&amp;").replace(/"/g, "&quot;") +
          '" width="800" height="500" style="border:0" loading="lazy" title="conflictmap"></iframe>');
      });
    }
    function staticDownload(a) {
      // what the status line counts: the events drawn and those without a location
      var shown = viewer.matching || [];
      var blob = new Blob([JSON.stringify({ type: "FeatureCollection", features: shown })],
        { type: "application/geo+json" });
      if (a.href && a.href.indexOf("blob:") === 0) URL.revokeObjectURL(a.href);
      a.href = URL.createObjectURL(blob);
      a.setAttribute("download", "events.geojson");
    }
    viewer.on(function () {
      var n = viewer.shown || 0, m = viewer.matched;
      var text = viewer.pending ? "Loading events…" :
        (m !== null && m > n ? "Showing " + CM.fmtInt(n) + " of " + CM.fmtInt(m) +
          " matching events: zoom in or narrow the time window" :
          viewer.more ? "Showing " + CM.fmtInt(n) +
          " of many more matching events: zoom in or narrow the time window" :
          CM.fmtInt(n) + (n === 1 ? " event" : " events") + " in view");
      if (!viewer.pending && viewer.unplaced) {
        text += " (" + viewer.unplaced + " more without a location: in the downloads)";
      }
      if (viewer.error) text = viewer.error;
      ui.status.textContent = text;
      ui.status.setAttribute("data-shown", String(n));
      if (!ui.dlinks) return;
      opts.formats.forEach(function (f) {
        var a = ui.dlinks[f.id];
        if (viewer.cfg.mode === "api") a.setAttribute("href", viewer.downloadUrl(f.id));
        else if (f.id === "geojson") staticDownload(a);
        else a.hidden = true;
      });
    });
  };

  // ---- what the URL asked for that the map could not apply --------------------------------
  CM.addNotices = function (viewer) {
    var box = null, list = null, shown = 0;
    control("topleft", "cm-notice", function (b) {
      box = b;
      box.setAttribute("role", "status");
      box.hidden = true;
      var close = el("button", "cm-notice-close", "×");
      close.type = "button";
      close.setAttribute("aria-label", "Dismiss");
      close.addEventListener("click", function () { box.hidden = true; });
      box.appendChild(close);
      box.appendChild(el("strong", null, "Parts of this link were not applied"));
      list = el("ul");
      box.appendChild(list);
    }).addTo(viewer.map);
    function sync() {
      var notes = viewer.notices || [];
      if (notes.length === shown) return;
      for (var i = shown; i < notes.length; i++) {
        var li = el("li", null, notes[i].text);
        li.setAttribute("data-param", notes[i].param);
        list.appendChild(li);
      }
      shown = notes.length;
      box.hidden = false;
    }
    viewer.on(sync);
    sync();
  };

  // ---- "data as of" stamp ----------------------------------------------------------------
  CM.addStamp = function (viewer, opts) {
    control("bottomright", "cm-stamp", function (box) {
      box.appendChild(el("span", null, "Data as of " + (opts.data_as_of || "unknown")));
      if (opts.full_url) {
        var a = el("a", null, "Open full map");
        a.setAttribute("target", "_blank");
        a.setAttribute("rel", "noopener");
        viewer.on(function () { a.setAttribute("href", viewer.permalink(opts.full_url)); });
        box.appendChild(document.createTextNode(" · "));
        box.appendChild(a);
      }
    }).addTo(viewer.map);
  };
})();
