/* lienthong UI behaviours shared by every app's pages (no build step). */
(function () {
  "use strict";

  // Tick boxes: "tick all" ticks the page's rows; the bulk bar counts them and enables its buttons.
  function refreshBulk(formId) {
    var ticks = document.querySelectorAll('input.tick[form="' + formId + '"]');
    var n = Array.prototype.filter.call(ticks, function (t) { return t.checked; }).length;
    document.querySelectorAll('[data-bulk="' + formId + '"]').forEach(function (bar) {
      var label = bar.querySelector(".ticked");
      label.textContent = label.dataset.tickedLabel.replace("{n}", n);
      bar.querySelectorAll("button").forEach(function (b) { b.disabled = n === 0; });
      bar.classList.toggle("active", n > 0);
    });
  }
  document.addEventListener("change", function (e) {
    var box = e.target;
    if (box.classList.contains("tick-all")) {
      document.querySelectorAll('input.tick[form="' + box.getAttribute("form") + '"]').forEach(function (t) { t.checked = box.checked; });
    }
    if (box.classList.contains("tick") || box.classList.contains("tick-all")) refreshBulk(box.getAttribute("form"));
  });

  // A button with data-confirm asks first.
  document.addEventListener("click", function (e) {
    var button = e.target.closest("[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) e.preventDefault();
  });

  // The person picker: typing forgets the chosen person until one is picked from the list.
  document.addEventListener("input", function (e) {
    var box = e.target.closest("[data-picker]");
    if (box && e.target.type === "search") box.querySelector('input[type="hidden"]').value = "";
  });
  document.addEventListener("click", function (e) {
    var pick = e.target.closest(".picks [data-code]");
    if (!pick) return;
    var box = pick.closest("[data-picker]");
    box.querySelector('input[type="hidden"]').value = pick.dataset.code;
    box.querySelector('input[type="search"]').value = pick.dataset.name;
    box.querySelector(".picks").innerHTML = "";
  });

  // A failed save: bring its errors where the user looks (a phone shows them first).
  document.addEventListener("DOMContentLoaded", function () {
    var errors = document.querySelector(".form-errors");
    if (!errors) return;
    errors.scrollIntoView({ block: "start" });
    var first = document.querySelector('[aria-invalid="true"]');
    (first || errors).focus({ preventScroll: true });
  });
})();
