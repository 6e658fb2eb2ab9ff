// The macro picker: the composer's Macros button, "m" (outside a text field) or Ctrl/⌘+K open a
// dialog listing the macros this agent may run; typing filters it (with or without Vietnamese
// diacritics), arrows move, Enter or a click runs one on the open conversation. The server
// answers nothing when it ran (the live stream brings the changes), or a question or a refusal
// into the dialog.
(function () {
  "use strict";
  var doc = document;
  function $(sel, root) { return (root || doc).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); }
  function fold(s) { return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase(); }
  function picker() { return doc.getElementById("macro-picker"); }
  function items() { return $$("#macro-list li[data-macro]:not([hidden])"); }

  function select(li) {
    $$("#macro-list li[data-macro]").forEach(function (x) { x.setAttribute("aria-selected", x === li ? "true" : "false"); });
    var f = $("[data-macro-filter]", picker());
    if (f) { if (li) f.setAttribute("aria-activedescendant", li.id); else f.removeAttribute("aria-activedescendant"); }
    if (li) li.scrollIntoView({ block: "nearest" });
  }
  function filter() {
    var d = picker(), f = $("[data-macro-filter]", d);
    var words = fold(f.value).split(/\s+/).filter(Boolean);
    $$("#macro-list li[data-macro]").forEach(function (li) {
      var hay = fold(li.textContent);
      li.hidden = !words.every(function (w) { return hay.indexOf(w) >= 0; });
    });
    var shown = items();
    var none = $("[data-macro-none]", d);
    if (none) none.hidden = shown.length > 0 || !$("#macro-list li[data-macro]");
    select(shown[0] || null);
  }
  function open() {
    var d = picker();
    if (!d || d.open) return;
    var f = $("[data-macro-filter]", d), list = $("#macro-list", d), ask = $("#macro-ask", d);
    f.value = "";
    ask.textContent = "";
    list.textContent = "";
    d.showModal();
    f.focus();
    fetch(d.getAttribute("data-list"), { headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.text(); })
      .then(function (html) {
        list.innerHTML = html;
        htmx.process(list);
        filter();
      })
      .catch(function () {});
  }
  function run(li) {
    if (!li) return;
    select(li);
    $("#macro-ask", picker()).textContent = "";
    htmx.trigger(li, "pano:run");
  }
  function move(d) {
    var all = items();
    if (!all.length) return;
    var i = all.findIndex(function (li) { return li.getAttribute("aria-selected") === "true"; });
    select(all[(i + d + all.length) % all.length]);
  }

  doc.addEventListener("click", function (e) {
    if (!e.target.closest) return;
    if (e.target.closest("[data-macros-open]")) { open(); return; }
    var li = e.target.closest("#macro-list li[data-macro]");
    if (li) run(li);
  });
  doc.addEventListener("input", function (e) { if (e.target.hasAttribute && e.target.hasAttribute("data-macro-filter")) filter(); });
  doc.addEventListener("keydown", function (e) {
    var t = e.target;
    if (t.hasAttribute && t.hasAttribute("data-macro-filter")) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") { e.preventDefault(); move(e.key === "ArrowDown" ? 1 : -1); }
      else if (e.key === "Enter" && !e.isComposing) { e.preventDefault(); run($("#macro-list li[aria-selected=true]:not([hidden])")); }
      return;
    }
    if (!doc.getElementById("inbox") || !picker()) return;
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && (e.key === "k" || e.key === "K")) { e.preventDefault(); open(); return; }
    if (e.key !== "m" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable) return;
    e.preventDefault();
    open();
  });
  doc.addEventListener("pano:macro-ran", function (e) {
    var d = picker();
    if (d && d.open) d.close();
    var li = e.detail && doc.querySelector("#macro-list li[data-macro='" + Number(e.detail.macro) + "']");
    if (li && d && window.panoToast) {
      var said = d.getAttribute("data-done").replace("{name}", li.getAttribute("data-name"));
      window.panoToast("<p>" + said.replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }) + "</p>");
    }
    var ta = doc.getElementById("reply-text");
    if (ta) ta.focus();
  });
  // A question ("run anyway?") came: its button takes the focus.
  doc.addEventListener("htmx:afterSwap", function (e) {
    var t = e.detail && e.detail.target;
    if (!t || t.id !== "macro-ask") return;
    var b = t.querySelector("button");
    if (b) b.focus();
  });
})();
