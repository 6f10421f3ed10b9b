// The verdict form: the grade and the override rationale only matter when verifying, and the rationale only when
// the chosen grade differs from the suggestion. The server enforces all of it; this only keeps the form tidy.
(function () {
  "use strict";
  var form = document.querySelector("form.verdict");
  if (!form) return;
  var suggested = form.dataset.suggested || "";
  var grade = form.querySelector("select[name=grade]");
  var rationale = form.querySelector("textarea[name=override_rationale]");
  var gradeField = grade && grade.closest(".field");
  var rationaleField = rationale && rationale.closest(".field");

  function verdict() {
    var checked = form.querySelector("input[name=verdict]:checked");
    return checked ? checked.value : "";
  }

  function update() {
    var verifying = verdict() !== "request_changes";
    if (gradeField) gradeField.hidden = !verifying;
    if (rationaleField) {
      var overriding = suggested !== "" && grade && grade.value !== suggested;
      rationaleField.hidden = !(verifying && (overriding || rationale.value.trim() !== ""));
    }
  }

  form.addEventListener("change", update);
  update();
})();
