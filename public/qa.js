// The review screen's keyboard: digits score the selected criterion (and move on), N marks it not
// applicable, ArrowUp/ArrowDown or K/J move, C opens its note, Esc leaves a note, Ctrl+Enter saves.
// Suggestions from the language model can be taken into the form; nothing is saved without Save.
(function () {
  "use strict";
  var doc = document;
  var form = doc.getElementById("qa-form");
  if (!form) return;
  var items = Array.prototype.slice.call(form.querySelectorAll(".qa-criterion"));
  if (!items.length) return;
  var current = 0;

  function select(i, focus) {
    current = Math.max(0, Math.min(items.length - 1, i));
    items.forEach(function (el, k) { el.classList.toggle("is-current", k === current); });
    if (focus !== false) {
      items[current].focus({ preventScroll: true });
      items[current].scrollIntoView({ block: "nearest" });
    }
  }
  function choose(el, value) {
    var r = el.querySelector('input[type=radio][value="' + value + '"]');
    if (!r) return false;
    r.checked = true;
    r.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }
  function firstUnscored() {
    for (var i = 0; i < items.length; i++) if (!items[i].querySelector("input[type=radio]:checked")) return i;
    return 0;
  }
  function save() {
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  items.forEach(function (el, k) {
    el.addEventListener("focusin", function () { if (current !== k) select(k, false); });
  });

  doc.addEventListener("keydown", function (e) {
    var t = e.target;
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter" && form.contains(t) || (e.ctrlKey || e.metaKey) && e.key === "Enter" && t === doc.body) {
      e.preventDefault();
      save();
      return;
    }
    var typing = t.tagName === "TEXTAREA" || t.tagName === "SELECT" || (t.tagName === "INPUT" && t.type !== "radio");
    if (typing) {
      if (e.key === "Escape" && t.classList.contains("qa-note")) { e.preventDefault(); select(current); }
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var key = e.key;
    if (/^[0-9]$/.test(key)) {
      if (choose(items[current], key)) { e.preventDefault(); if (current < items.length - 1) select(current + 1); }
    } else if (key === "n" || key === "N") {
      if (choose(items[current], "na")) { e.preventDefault(); if (current < items.length - 1) select(current + 1); }
    } else if (key === "ArrowDown" || key === "j" || key === "J") {
      e.preventDefault(); select(current + 1);
    } else if (key === "ArrowUp" || key === "k" || key === "K") {
      e.preventDefault(); select(current - 1);
    } else if (key === "c" || key === "C") {
      var note = items[current].querySelector("textarea");
      if (note) { e.preventDefault(); note.focus(); }
    }
  });

  // Suggestions arrive as a list (htmx); each is shown beside its criterion, and one button takes them all.
  doc.addEventListener("htmx:afterSwap", function (e) {
    var list = e.target && e.target.querySelector && e.target.querySelector("[data-suggestions]");
    if (!list) return;
    Array.prototype.forEach.call(list.querySelectorAll("li[data-criterion]"), function (li) {
      var slot = form.querySelector('[data-suggestion-for="' + li.getAttribute("data-criterion") + '"]');
      if (slot) { slot.textContent = li.textContent; slot.hidden = false; }
    });
  });
  doc.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-accept-suggestions]");
    if (!b) return;
    Array.prototype.forEach.call(doc.querySelectorAll("[data-suggestions] li[data-criterion]"), function (li) {
      var el = form.querySelector('.qa-criterion[data-criterion="' + li.getAttribute("data-criterion") + '"]');
      if (el) choose(el, li.getAttribute("data-value"));
    });
    select(firstUnscored());
  });

  select(firstUnscored());
})();
