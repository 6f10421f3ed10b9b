// The incident list's "select all on this page" box. Without JavaScript each row's box still works; this only adds
// the box in the header, keeps it in step with the rows, and counts the selection.
(function () {
  "use strict";
  var form = document.getElementById("bulk-form");
  if (!form) return;
  var all = form.querySelector("input[data-select-all]");
  var count = form.querySelector("[data-selected-count]");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[name=refs]"));
  if (!all || !boxes.length) return;
  all.hidden = false;

  function update() {
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    all.checked = ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
    if (count) {
      count.textContent = interpolate(ngettext("%s selected", "%s selected", ticked), [ticked]);
    }
  }

  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
    update();
  });
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  update();
})();
