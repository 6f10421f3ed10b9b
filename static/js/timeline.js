// The timeline under the map: incidents per week or month as SVG bars. Dragging across bars, or selecting one
// (click, Enter or Space), sets the filter panel's From and To dates; the map then reloads and the URL follows.
(function () {
  "use strict";
  var box = document.getElementById("timeline");
  var form = document.getElementById("incident-filters");
  if (!box || !form) return;
  var SVG = "http://www.w3.org/2000/svg";
  var HEIGHT = 120, AXIS = 22, TOP = 14;
  var intervalSelect = document.getElementById("timeline-interval");
  var clearButton = document.getElementById("timeline-clear");
  var selectionText = document.getElementById("timeline-selection");
  var fromInput = form.elements.namedItem("date_from");
  var toInput = form.elements.namedItem("date_to");
  var buckets = [];
  var interval = "week";
  var bars = [];
  var pending = null;
  var drag = null;
  // The page's language and direction. Django's English shows day-month-year, so English dates use en-GB here too.
  var LANG = document.documentElement.lang || "en";
  var LOCALE = LANG === "en" ? "en-GB" : LANG;
  var RTL = document.documentElement.dir === "rtl";
  var numbers = new Intl.NumberFormat(LOCALE);

  function iso(d) {
    return d.toISOString().slice(0, 10);
  }
  function parse(s) {
    return new Date(s + "T00:00:00Z");
  }
  function next(d) {
    var n = new Date(d.getTime());
    if (interval === "week") n.setUTCDate(n.getUTCDate() + 7);
    else n.setUTCMonth(n.getUTCMonth() + 1);
    return n;
  }
  function lastDay(d) {
    var n = next(d);
    n.setUTCDate(n.getUTCDate() - 1);
    return n;
  }
  function dateText(d) {
    var opts = interval === "week" ? { day: "numeric", month: "short", year: "numeric" } : { month: "long", year: "numeric" };
    opts.timeZone = "UTC";
    return new Intl.DateTimeFormat(LOCALE, opts).format(d);
  }
  function dayText(iso) {
    return new Intl.DateTimeFormat(LOCALE, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(parse(iso));
  }
  function barLabel(b) {
    var values = { date: dateText(b.start), count: numbers.format(b.count) };
    var text = interval === "week"
      ? ngettext("Week of %(date)s: %(count)s incident", "Week of %(date)s: %(count)s incidents", b.count)
      : ngettext("%(date)s: %(count)s incident", "%(date)s: %(count)s incidents", b.count);
    return interpolate(text, values, true);
  }
  // Time runs the way the page reads: left to right, or right to left.
  function xAt(i, step, width) {
    return RTL ? width - (i + 1) * step : i * step;
  }

  function params() {
    var p = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "" && key !== "date_from" && key !== "date_to") p.append(key, value);
    });
    if (intervalSelect.value) p.set("interval", intervalSelect.value);
    return p;
  }

  function load() {
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(box.dataset.url + "?" + params().toString(), { signal: pending.signal, credentials: "same-origin" })
      .then(function (r) {
        return r.json().then(function (data) {
          if (!r.ok) throw new Error(data.error || r.statusText);
          return data;
        });
      })
      .then(function (data) {
        interval = data.interval;
        buckets = fill(data.buckets);
        draw();
      })
      .catch(function (err) {
        if (err.name !== "AbortError") box.textContent = interpolate(gettext("The timeline could not load: %(error)s"), { error: err.message }, true);
      });
  }

  // Empty weeks or months get a zero bar, so that the axis is true to time.
  function fill(rows) {
    if (!rows.length) return [];
    var counts = {};
    rows.forEach(function (r) {
      counts[r.start] = r.count;
    });
    var out = [];
    var last = parse(rows[rows.length - 1].start);
    for (var d = parse(rows[0].start); d <= last; d = next(d)) out.push({ start: d, count: counts[iso(d)] || 0 });
    return out;
  }

  function el(name, attrs) {
    var n = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) {
      n.setAttribute(k, attrs[k]);
    });
    return n;
  }

  // The axis: a label at every month when months are wide enough to read one, else at every year (or every few
  // years on a very long span), in the reader's language and calendar format. Returns, for each bucket, its label
  // or "".
  function axisTicks(step) {
    var perMonth = interval === "week" ? (step * 365.25) / 12 / 7 : step;
    var monthFmt = new Intl.DateTimeFormat(LOCALE, { month: "short", timeZone: "UTC" });
    var monthYearFmt = new Intl.DateTimeFormat(LOCALE, { month: "short", year: "numeric", timeZone: "UTC" });
    var yearFmt = new Intl.DateTimeFormat(LOCALE, { year: "numeric", timeZone: "UTC" });
    var everyYears = Math.max(1, Math.ceil(44 / (perMonth * 12)));
    var lastKey = null;
    return function (b, i) {
      var d = b.start;
      if (interval === "week") {
        // A week belongs to the month (and year) of its Thursday, as ISO weeks do.
        d = new Date(d.getTime());
        d.setUTCDate(d.getUTCDate() + 3);
      }
      var year = d.getUTCFullYear(), month = d.getUTCMonth();
      if (perMonth >= 38) {
        var key = year * 12 + month;
        if (key === lastKey) return "";
        lastKey = key;
        return i === 0 || month === 0 ? monthYearFmt.format(d) : monthFmt.format(d);
      }
      if (year === lastKey) return "";
      var first = lastKey === null;
      lastKey = year;
      if (!first && year % everyYears) return "";
      return yearFmt.format(d);
    };
  }

  function draw() {
    box.textContent = "";
    bars = [];
    if (!buckets.length) {
      box.appendChild(document.createTextNode(gettext("No dated incidents match these filters.")));
      return;
    }
    var width = Math.max(box.clientWidth, 300);
    var step = width / buckets.length;
    var max = Math.max.apply(null, buckets.map(function (b) { return b.count; })) || 1;
    var svg = el("svg", { width: width, height: HEIGHT, role: "group", "aria-label": interval === "week" ? gettext("Incidents by week") : gettext("Incidents by month"), class: "timeline-svg" });
    var ticks = axisTicks(step);
    buckets.forEach(function (b, i) {
      var h = b.count ? Math.max(2, ((HEIGHT - AXIS - TOP) * b.count) / max) : 0;
      var bar = el("rect", {
        x: xAt(i, step, width) + (step > 4 ? 1 : 0), y: HEIGHT - AXIS - h, width: Math.max(step - (step > 4 ? 2 : 0), 1), height: h,
        class: "timeline-bar", tabindex: b.count ? "0" : "-1", role: "button",
        "aria-label": barLabel(b),
      });
      bar.appendChild(el("title", {})).textContent = bar.getAttribute("aria-label");
      var hit = el("rect", { x: xAt(i, step, width), y: TOP, width: step, height: HEIGHT - AXIS - TOP, class: "timeline-hit" });
      hit.dataset.index = bar.dataset.index = String(i);
      svg.appendChild(hit);
      svg.appendChild(bar);
      bars.push(bar);
      var label = ticks(b, i);
      if (label) {
        var edge = RTL ? width - i * step : i * step;
        svg.appendChild(el("line", { x1: edge, x2: edge, y1: HEIGHT - AXIS, y2: HEIGHT - AXIS + 4, class: "timeline-tick" }));
        var text = el("text", { x: RTL ? edge - 2 : edge + 2, y: HEIGHT - 6, class: "timeline-axis" });
        text.textContent = label;
        svg.appendChild(text);
      }
    });
    var top = el("text", { x: RTL ? 4 : width - 4, y: 11, class: "timeline-axis", "text-anchor": "end" });
    top.textContent = interpolate(gettext("max %(count)s"), { count: numbers.format(max) }, true);
    svg.appendChild(top);
    box.appendChild(svg);
    svg.addEventListener("pointerdown", start);
    svg.addEventListener("pointermove", move);
    svg.addEventListener("pointerup", end);
    svg.addEventListener("keydown", key);
    highlight();
  }

  function indexAt(event) {
    var rect = box.querySelector("svg").getBoundingClientRect();
    var offset = RTL ? rect.right - event.clientX : event.clientX - rect.left;
    var i = Math.floor((offset / rect.width) * buckets.length);
    return Math.min(Math.max(i, 0), buckets.length - 1);
  }

  function start(event) {
    drag = { from: indexAt(event), to: indexAt(event) };
    event.target.setPointerCapture && event.target.setPointerCapture(event.pointerId);
    highlight(drag);
  }
  function move(event) {
    if (!drag) return;
    drag.to = indexAt(event);
    highlight(drag);
  }
  function end(event) {
    if (!drag) return;
    drag.to = indexAt(event);
    var a = Math.min(drag.from, drag.to), b = Math.max(drag.from, drag.to);
    drag = null;
    select(a, b);
  }
  function key(event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    var i = event.target.dataset && event.target.dataset.index;
    if (i === undefined) return;
    event.preventDefault();
    select(Number(i), Number(i));
  }

  function select(a, b) {
    fromInput.value = iso(buckets[a].start);
    toInput.value = iso(lastDay(buckets[b].start));
    form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function highlight(span) {
    var from = fromInput.value ? parse(fromInput.value) : null;
    var to = toInput.value ? parse(toInput.value) : null;
    bars.forEach(function (bar, i) {
      var b = buckets[i], on;
      if (span) on = i >= Math.min(span.from, span.to) && i <= Math.max(span.from, span.to);
      else on = (from || to) && (!from || lastDay(b.start) >= from) && (!to || b.start <= to);
      bar.classList.toggle("selected", !!on);
    });
    var text = "";
    var dates = { from: fromInput.value && dayText(fromInput.value), to: toInput.value && dayText(toInput.value) };
    if (from && to) text = interpolate(gettext("Showing from %(from)s to %(to)s"), dates, true);
    else if (from) text = interpolate(gettext("Showing from %(from)s"), dates, true);
    else if (to) text = interpolate(gettext("Showing to %(to)s"), dates, true);
    selectionText.textContent = text;
  }

  clearButton.addEventListener("click", function () {
    fromInput.value = "";
    toInput.value = "";
    form.dispatchEvent(new Event("change", { bubbles: true }));
  });
  intervalSelect.addEventListener("change", load);
  // The map script announces every change of the filters; only non-date filters change the bars.
  form.addEventListener("filters:changed", function () {
    load();
  });
  window.addEventListener("resize", function () {
    if (buckets.length) draw();
  });
  load();
})();
