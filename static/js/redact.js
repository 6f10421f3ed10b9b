// Draw rectangles on an image to redact (templates/evidence/redact.html). The rectangles are written to the
// form's "regions" field as fractions of the image, so the server applies them to the full-size original.
(function () {
  "use strict";
  const stage = document.querySelector("[data-redact]");
  const image = stage && stage.querySelector(".redact-image");
  const field = document.querySelector(".redact-form textarea[name=regions]");
  if (!image || !field) return;
  const regions = [];
  let start = null;
  let live = null;

  function point(event) {
    const box = image.getBoundingClientRect();
    const x = Math.min(Math.max(event.clientX - box.left, 0), box.width) / box.width;
    const y = Math.min(Math.max(event.clientY - box.top, 0), box.height) / box.height;
    return { x: x, y: y };
  }

  function rectangle(region) {
    const el = document.createElement("div");
    el.className = "redact-box";
    place(el, region);
    stage.appendChild(el);
    return el;
  }

  function place(el, r) {
    // Physical offsets: the image itself is not mirrored in right-to-left pages, so neither are the fractions.
    el.style.left = image.offsetLeft + r[0] * image.clientWidth + "px";
    el.style.top = image.offsetTop + r[1] * image.clientHeight + "px";
    el.style.width = r[2] * image.clientWidth + "px";
    el.style.height = r[3] * image.clientHeight + "px";
  }

  function write() {
    field.value = regions.map(function (r) { return r.map(function (v) { return v.toFixed(4); }).join(","); }).join("\n");
  }

  function box(a, b) {
    return [Math.min(a.x, b.x), Math.min(a.y, b.y), Math.abs(a.x - b.x), Math.abs(a.y - b.y)];
  }

  image.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    start = point(event);
    live = rectangle([start.x, start.y, 0, 0]);
    image.setPointerCapture(event.pointerId);
  });
  image.addEventListener("pointermove", function (event) {
    if (start) place(live, box(start, point(event)));
  });
  image.addEventListener("pointerup", function (event) {
    if (!start) return;
    const r = box(start, point(event));
    start = null;
    if (r[2] < 0.005 || r[3] < 0.005) { live.remove(); return; }
    regions.push(r);
    write();
  });
  document.querySelector(".redact-clear").addEventListener("click", function () {
    regions.length = 0;
    stage.querySelectorAll(".redact-box").forEach(function (el) { el.remove(); });
    write();
  });
})();
