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
    if (box && e.target.type === "search") {
      box.querySelector('input[type="hidden"]').value = "";
      delete box.dataset.picked;
    }
  });
  document.addEventListener("click", function (e) {
    var pick = e.target.closest(".picks [data-code]");
    document.querySelectorAll("[data-picker]").forEach(function (box) {
      if (pick && box.contains(pick)) {
        box.querySelector('input[type="hidden"]').value = pick.dataset.code;
        box.querySelector('input[type="search"]').value = pick.dataset.name;
        box.dataset.picked = "true";
      }
      if (!box.contains(e.target) || pick) box.querySelector(".picks").innerHTML = "";  // a click elsewhere closes the list
    });
  });
  document.addEventListener("keydown", function (e) {
    var box = e.target.closest && e.target.closest("[data-picker]");
    if (box && e.key === "Escape") box.querySelector(".picks").innerHTML = "";
  });
  // A list that answers typing from before the pick comes too late: it is not shown.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var box = e.detail.target.closest && e.detail.target.closest("[data-picker]");
    if (box && box.dataset.picked) e.detail.shouldSwap = false;
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
