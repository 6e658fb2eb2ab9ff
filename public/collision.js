// Two agents in one conversation see each other (who, viewing or typing) and do not answer one
// customer twice: the open conversation says "here" every 20 s and "leave" when the agent moves
// on; the live stream's "here" event says who is in it now. The composer remembers the newest
// message the agent had on screen when they started typing (the server asks before sending over
// a colleague's reply they had not seen), and flags canned-reply variables still without a value.
(function () {
  "use strict";
  var doc = document;
  var BEAT_MS = 20000;
  var current = null, beat = null;
  // This page's own id: closing one tab does not take the agent out of a conversation another tab shows.
  var tab = Math.random().toString(36).slice(2, 12);

  function csrf() { var m = doc.querySelector("meta[name=csrf-token]"); return m ? m.getAttribute("content") : ""; }
  function post(url, keepalive) {
    return fetch(url, { method: "POST", credentials: "same-origin", keepalive: !!keepalive, headers: { "X-CSRF-Token": csrf() } });
  }
  function bar() { return doc.querySelector("#composer [data-agents-here]"); }

  function render(list) {
    var el = bar();
    if (!el) return;
    var me = el.getAttribute("data-me");
    var others = (list || []).filter(function (a) { return String(a.id) !== me; });
    el.textContent = "";
    others.forEach(function (a) {
      var li = doc.createElement("li");
      li.className = a.typing ? "typing" : "viewing";
      li.setAttribute("data-agent", String(a.id));
      li.textContent = el.getAttribute(a.typing ? "data-text-typing" : "data-text-viewing").replace("{name}", a.name);
      el.appendChild(li);
    });
    el.hidden = !others.length;
  }

  function hello(id) {
    post("/conversations/" + id + "/here?tab=" + tab)
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d && current === id) render(d.agents); })
      .catch(function () {});
  }
  // Called whenever the middle pane may show another conversation (or none).
  function arrive() {
    var el = bar();
    var id = el ? el.getAttribute("data-conversation") : null;
    if (id === current) return;
    if (current) post("/conversations/" + current + "/leave?tab=" + tab).catch(function () {});
    current = id;
    clearInterval(beat);
    beat = null;
    if (!id) return;
    hello(id);
    beat = setInterval(function () { hello(id); }, BEAT_MS);
  }
  doc.addEventListener("htmx:afterSwap", function (e) {
    var t = e.detail && e.detail.target;
    if (t && t.id === "conversation") arrive();
  });
  // The stream came back (a network blip): Pano counted the agent as gone when it closed.
  doc.addEventListener("htmx:sseOpen", function () { if (current) hello(current); });
  doc.addEventListener("sse:here", function (e) {
    var n;
    try { n = JSON.parse(e.detail.data); } catch (err) { return; }
    if (n && String(n.c) === current) render(n.a);
  });
  window.addEventListener("pagehide", function () {
    if (current) post("/conversations/" + current + "/leave?tab=" + tab, true).catch(function () {});
  });

  // ---- what the agent had seen when they started typing ----
  function newestSeen() {
    var max = 0;
    Array.prototype.forEach.call(doc.querySelectorAll("#timeline [data-mid]"), function (el) {
      max = Math.max(max, Number(el.getAttribute("data-mid")) || 0);
    });
    return String(max);
  }
  function seenInput() { return doc.querySelector("#composer [data-seen]"); }
  doc.addEventListener("input", function (e) {
    if (e.target.id !== "reply-text") return;
    var seen = seenInput();
    if (seen && (!seen.value || !e.target.value.trim())) seen.value = e.target.value.trim() ? newestSeen() : "";
    flagMissing(e.target);
  });
  // Text put in without typing (a canned reply picked at once) counts from the moment of sending.
  doc.addEventListener("htmx:configRequest", function (e) {
    if (!e.detail.elt || e.detail.elt.id !== "composer") return;
    if (!e.detail.parameters.get) return;
    var seen = e.detail.parameters.get("seen");
    if (!seen) e.detail.parameters.set("seen", newestSeen());
  });
  doc.addEventListener("pano:sent", function () {
    var seen = seenInput();
    if (seen) seen.value = "";
    var ask = doc.getElementById("composer-ask");
    if (ask) ask.textContent = "";
    var ta = doc.getElementById("reply-text");
    if (ta) flagMissing(ta);
  });
  doc.addEventListener("click", function (e) {
    var cancel = e.target.closest && e.target.closest("[data-ask-cancel]");
    if (!cancel) return;
    var ask = doc.getElementById("composer-ask");
    if (ask) ask.textContent = "";
    // They go back to read: what is on screen now counts as seen.
    var seen = seenInput();
    if (seen && seen.value) seen.value = newestSeen();
    var ta = doc.getElementById("reply-text");
    if (ta) ta.focus();
  });
  // The question appeared: its "send anyway" button takes the focus, Escape goes back to the text.
  doc.addEventListener("htmx:afterSwap", function (e) {
    var t = e.detail && e.detail.target;
    if (!t || t.id !== "composer-ask") return;
    var b = t.querySelector("[data-ask-send]");
    if (b) b.focus();
  });
  doc.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || !e.target.closest || !e.target.closest("#composer-ask")) return;
    e.preventDefault();
    e.target.closest("#composer-ask").textContent = "";
    var ta = doc.getElementById("reply-text");
    if (ta) ta.focus();
  });

  // ---- variables without a value (left as {{name}} when a canned reply was filled in) ----
  var KNOWN = /\{\{\s*((?:contact\.(?:name|phone|email|attributes\.[^{}\n]+?))|agent\.name|conversation\.id)\s*\}\}/g;
  function flagMissing(ta) {
    var out = doc.querySelector("#composer [data-vars-missing]");
    if (!out) return;
    var names = [], m;
    KNOWN.lastIndex = 0;
    while ((m = KNOWN.exec(ta.value))) if (names.indexOf(m[0]) < 0) names.push(m[0]);
    out.textContent = names.length ? out.getAttribute("data-text").replace("{names}", names.join(", ")) : "";
    out.hidden = !names.length;
    ta.classList.toggle("has-missing", names.length > 0);
  }
  // A canned reply is inserted without an input event: look once the pick has landed, and select
  // the first missing value so the agent can type it over.
  doc.addEventListener("click", function (e) { if (e.target.closest && e.target.closest("#canned li")) setTimeout(afterPick, 0); });
  doc.addEventListener("keydown", function (e) {
    if (e.target.id === "reply-text" && (e.key === "Enter" || e.key === "Tab")) setTimeout(afterPick, 0);
  }, true);
  var before = null;
  doc.addEventListener("keydown", function (e) { if (e.target.id === "reply-text") before = e.target.value; }, true);
  function afterPick() {
    var ta = doc.getElementById("reply-text");
    if (!ta || ta.value === before) return;
    before = ta.value;
    var seen = seenInput();
    if (seen && !seen.value && ta.value.trim()) seen.value = newestSeen();
    flagMissing(ta);
    KNOWN.lastIndex = 0;
    var m = KNOWN.exec(ta.value);
    if (m) { ta.focus(); ta.setSelectionRange(m.index, m.index + m[0].length); }
  }

  function ready() { arrive(); }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", ready); else ready();
})();
