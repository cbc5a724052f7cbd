/* conflictmap symbols and popups: one canvas shape per event type, and popups built with DOM
 * APIs (textContent, http(s) links only): event text never reaches innerHTML. */
(function () {
  "use strict";

  var CM = window.ConflictMap;
  var el = CM.el;

  function fmtCount(c) {
    var n = c.low === c.high || c.high === null || c.high === undefined
      ? String(c.low !== null && c.low !== undefined ? c.low : c.best !== null ? c.best : "?")
      : c.low + "–" + c.high;
    if (c.best !== null && c.best !== undefined && c.low !== c.high) n += " (best " + c.best + ")";
    return c.kind.replace(/_/g, " ") + ": " + n + (c.text ? " — “" + c.text + "”" : "");
  }

  // ---- canvas symbols: one shape per event type ------------------------------------------
  function shapePath(ctx, s, x, y, r) {
    var i, a, k;
    if (s === "square") { ctx.rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8); return; }
    if (s === "triangle" || s === "triangle_down") {
      k = s === "triangle" ? 1 : -1;
      ctx.moveTo(x, y - k * r * 1.15);
      ctx.lineTo(x + r * 1.05, y + k * r * 0.75);
      ctx.lineTo(x - r * 1.05, y + k * r * 0.75);
      ctx.closePath();
      return;
    }
    if (s === "diamond") {
      ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r, y); ctx.lineTo(x, y + r * 1.2);
      ctx.lineTo(x - r, y); ctx.closePath();
      return;
    }
    if (s === "star" || s === "hexagon" || s === "pentagon") {
      var n = s === "star" ? 10 : s === "hexagon" ? 6 : 5;
      for (i = 0; i < n; i++) {
        a = -Math.PI / 2 + (i * 2 * Math.PI) / n;
        k = s === "star" && i % 2 ? r * 0.5 : r * 1.2;
        if (i === 0) ctx.moveTo(x + k * Math.cos(a), y + k * Math.sin(a));
        else ctx.lineTo(x + k * Math.cos(a), y + k * Math.sin(a));
      }
      ctx.closePath();
      return;
    }
    if (s === "cross") {
      var w = r * 0.4;
      ctx.moveTo(x - w, y - r); ctx.lineTo(x + w, y - r); ctx.lineTo(x + w, y - w);
      ctx.lineTo(x + r, y - w); ctx.lineTo(x + r, y + w); ctx.lineTo(x + w, y + w);
      ctx.lineTo(x + w, y + r); ctx.lineTo(x - w, y + r); ctx.lineTo(x - w, y + w);
      ctx.lineTo(x - r, y + w); ctx.lineTo(x - r, y - w); ctx.lineTo(x - w, y - w);
      ctx.closePath();
      return;
    }
    ctx.arc(x, y, r, 0, Math.PI * 2, false);
  }
  CM.shapePath = shapePath;
  L.Canvas.include({
    _updateCmShape: function (layer) {
      if (!this._drawing || layer._empty()) return;
      var p = layer._point, r = Math.max(Math.round(layer._radius), 1);
      this._ctx.beginPath();
      shapePath(this._ctx, layer.options.shape, p.x, p.y, r);
      this._fillStroke(this._ctx, layer);
    }
  });
  // The events' canvas: Leaflet's, setting only the drawing state that changes from one
  // symbol to the next (a redraw of a step sets it for thousands of symbols: the dash, cap,
  // join and width mostly stay as they were)
  CM.EventCanvas = L.Canvas.extend({
    _draw: function () {
      this._cmState = {};  // _draw saves and restores the context: what was set is gone
      L.Canvas.prototype._draw.call(this);
    },
    _fillStroke: function (ctx, layer) {
      var o = layer.options, st = this._cmState;
      if (!st || !this._drawing) { L.Canvas.prototype._fillStroke.call(this, ctx, layer); return; }
      if (o.fill) {
        if (st.globalAlpha !== o.fillOpacity) ctx.globalAlpha = st.globalAlpha = o.fillOpacity;
        if (st.fillStyle !== (o.fillColor || o.color)) ctx.fillStyle = st.fillStyle = o.fillColor || o.color;
        ctx.fill(o.fillRule || "evenodd");
      }
      if (o.stroke && o.weight !== 0) {
        var dash = o._dashArray ? String(o._dashArray) : "";
        if (ctx.setLineDash && st.dash !== dash) { ctx.setLineDash(o._dashArray || []); st.dash = dash; }
        if (st.globalAlpha !== o.opacity) ctx.globalAlpha = st.globalAlpha = o.opacity;
        if (st.lineWidth !== o.weight) ctx.lineWidth = st.lineWidth = o.weight;
        if (st.strokeStyle !== o.color) ctx.strokeStyle = st.strokeStyle = o.color;
        if (st.lineCap !== o.lineCap) ctx.lineCap = st.lineCap = o.lineCap;
        if (st.lineJoin !== o.lineJoin) ctx.lineJoin = st.lineJoin = o.lineJoin;
        ctx.stroke();
      }
    }
  });
  CM.ShapeMarker = L.CircleMarker.extend({
    options: { shape: "circle" },
    _updatePath: function () {
      if (this._renderer._updateCmShape) this._renderer._updateCmShape(this);
      else L.CircleMarker.prototype._updatePath.call(this);
    }
  });

  // ---- popups ---------------------------------------------------------------------------
  function popupContent(viewer, f) {
    var p = f.properties || {}, t = viewer.types[p.event_type] || {};
    var box = el("div", "cm-popup");
    box.setAttribute("data-event-id", String(f.id || p.event_id || ""));
    var head = el("div", "cm-popup-type");
    var sw = el("span", "cm-swatch");
    sw.style.background = t.color || viewer.cfg.fallback.color;
    head.appendChild(sw);
    head.appendChild(el("span", null, (t.label || p.event_type) + " · " + (p.status || "")));
    box.appendChild(head);
    box.appendChild(el("h3", "cm-popup-summary", p.summary || t.label || p.event_type));
    var dl = el("dl");
    function row(k, v) {
      if (v === null || v === undefined || v === "") return;
      dl.appendChild(el("dt", null, k));
      dl.appendChild(el("dd", null, v));
    }
    var dates = p.date_start === p.date_end ? p.date_start : p.date_start + " – " + p.date_end;
    var assumed = CM.assumed(p);
    row("When", dates + " (precision: " + (p.date_precision || "day") + ")");
    if (assumed.date) {
      row("Date assumed", "no date is stated: the event is dated by its report" +
        (p.reported_at ? " (" + p.reported_at + ")" : ""));
    }
    var place = p.location_name || "unknown place";
    if (p.name_in_text && p.name_in_text !== p.location_name) place += " (“" + p.name_in_text + "”)";
    row("Where", place + (p.geo_precision ? " (precision: " + p.geo_precision + ")" : ""));
    if (assumed.place) {
      row("Place assumed", "the report's sentence names no place: this is the place of the " +
        "article or of the sentence before");
    }
    if (assumed.date || assumed.place) box.className += " cm-assumed";
    row("Actors", [p.actor1, p.actor2].filter(Boolean).join(" / "));
    row("Claimed by", p.claimed_by);
    row("Status", p.status);
    box.appendChild(dl);
    var counts = p.counts || [];
    if (counts.length) {
      var cl = el("ul", "cm-counts");
      counts.forEach(function (c) { cl.appendChild(el("li", null, fmtCount(c))); });
      box.appendChild(cl);
    }
    var sources = p.sources;
    var sbox = el("div", "cm-sources");
    box.appendChild(sbox);
    function fillSources(list) {
      sbox.textContent = "";
      sbox.appendChild(el("h4", null, "Sources (" + list.length + ")"));
      var ol = el("ol");
      list.forEach(function (s) {
        var li = el("li", "cm-source");
        // thin metadata: say what is known (the outlet, the day) rather than an article id
        var title = s.title || (s.publisher ? s.publisher + (s.published_at ? ", report of " + s.published_at : "") :
          s.published_at ? "Report of " + s.published_at : "A report");
        var href = CM.safeHref(s.url);
        var t1 = href ? el("a", null, title) : el("span", null, title);
        if (href) {
          t1.setAttribute("href", href);
          t1.setAttribute("target", "_blank");
          t1.setAttribute("rel", "noopener noreferrer");
        }
        li.appendChild(t1);
        var meta = s.title ? [s.publisher, s.published_at].filter(Boolean).join(", ") : "";
        if (!href) meta = (meta ? meta + "; " : "") + (s.title ? "no link recorded" : "no title or link recorded");
        if (meta) li.appendChild(el("span", "cm-source-meta", " — " + meta));
        if (s.quote) li.appendChild(el("blockquote", null, s.quote));
        ol.appendChild(li);
      });
      sbox.appendChild(ol);
    }
    if (sources) fillSources(sources);
    else if (viewer.cfg.mode === "api") {
      sbox.appendChild(el("p", null, "Loading sources…"));
      fetch(viewer.cfg.api.item + encodeURIComponent(f.id || p.event_id), {
        headers: { Accept: "application/geo+json" }
      }).then(function (r) { return r.json(); })
        .then(function (full) { fillSources((full.properties || {}).sources || []); })
        .catch(function () { sbox.textContent = "Sources could not be loaded."; });
    }
    box.appendChild(el("div", "cm-popup-id", "id: " + (f.id || p.event_id)));
    return box;
  }

  // ---- several events at one spot: a list to choose from --------------------------------
  var CHOICES = 60;

  function chooserContent(viewer, features, onChoose) {
    var unknown = viewer.cfg.precisions.length;
    var list = features.slice().sort(function (a, b) {
      var p = a.properties || {}, q = b.properties || {};
      var ra = viewer.rank[p.geo_precision] === undefined ? unknown : viewer.rank[p.geo_precision];
      var rb = viewer.rank[q.geo_precision] === undefined ? unknown : viewer.rank[q.geo_precision];
      if (ra !== rb) return ra - rb;  // the finest places first
      return String(q.date_start).localeCompare(String(p.date_start));  // then the newest
    });
    var box = el("div", "cm-chooser");
    box.appendChild(el("h4", null, list.length + " events here: choose one"));
    var ul = el("ul");
    list.slice(0, CHOICES).forEach(function (f) {
      var p = f.properties || {}, t = viewer.types[p.event_type] || {};
      var id = String(f.id || p.event_id);
      var button = el("button", "cm-choice");
      button.type = "button";
      button.setAttribute("data-event-id", id);
      var sw = el("span", "cm-swatch");
      sw.style.background = t.color || viewer.cfg.fallback.color;
      button.appendChild(sw);
      var dates = p.date_start === p.date_end ? p.date_start : p.date_start + " – " + p.date_end;
      button.appendChild(el("strong", null, (t.label || p.event_type) + " · " + dates));
      var where = p.location_name ? p.location_name + (p.geo_precision ? " (" + p.geo_precision + ")" : "") : "";
      if (where) button.appendChild(el("span", "cm-choice-place", where));
      if (p.summary) button.appendChild(el("span", "cm-choice-summary", p.summary));
      button.addEventListener("click", function () { onChoose(id); });
      var li = el("li");
      li.appendChild(button);
      ul.appendChild(li);
    });
    box.appendChild(ul);
    if (list.length > CHOICES) {
      box.appendChild(el("p", "cm-choice-more", "… and " + (list.length - CHOICES) +
        " more: zoom in, narrow the time window or filter to see them."));
    }
    return box;
  }

  CM.popupContent = popupContent;
  CM.chooserContent = chooserContent;
})();
