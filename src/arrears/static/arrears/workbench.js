// The workbench's keyboard and the outcome form. No framework: a few listeners on the document,
// so fragments swapped in by HTMX work without re-binding.
(function () {
  "use strict";

  // Show only the fields the chosen outcome and result need.
  function sync(form) {
    var outcome = form.querySelector("[name=outcome]").value;
    var result = form.querySelector("[name=result]");
    form.querySelectorAll("[data-when]").forEach(function (el) {
      el.hidden = el.dataset.when !== outcome;
    });
    if (outcome !== "right_party") result.value = "";
    form.querySelectorAll("[data-when-result]").forEach(function (el) {
      el.hidden = outcome !== "right_party" || el.dataset.whenResult !== result.value;
    });
  }
  function syncAll(root) {
    root.querySelectorAll("[data-outcome-form]").forEach(sync);
  }
  document.addEventListener("change", function (e) {
    var form = e.target.closest && e.target.closest("[data-outcome-form]");
    if (form) sync(form);
  });
  document.addEventListener("DOMContentLoaded", function () { syncAll(document); });
  document.addEventListener("htmx:afterSwap", function () { syncAll(document); });
  // htmx leaves 4xx answers unswapped by default; show the reason where the action was.
  document.addEventListener("htmx:responseError", function (e) {
    var target = e.detail.target;
    if (target) target.textContent = e.detail.xhr.responseText;
  });

  function typing(e) {
    var t = e.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }
  // N: next case. C: call the debtor's first number. 1–9: pick an outcome in the open form.
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
    var key = e.key.toLowerCase();
    if (key === "n") {
      var next = document.querySelector("[data-key=n]");
      if (next) { e.preventDefault(); next.click(); }
    } else if (key === "c") {
      var call = document.querySelector("[data-call]");
      if (call) { e.preventDefault(); call.click(); }
    } else if (/^[1-9]$/.test(key)) {
      var select = document.querySelector("[data-outcome-form] [name=outcome]");
      if (select && select.options.length >= Number(key)) {
        e.preventDefault();
        select.selectedIndex = Number(key) - 1;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        select.focus();
      }
    }
  });
})();
