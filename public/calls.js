// Incoming-call cards: the live stream says a call rings ({t:"call", m, ring:true}) to the agents
// who may take it; the card is fetched and shown over the page (the owner's first) until the
// stream says it stopped ringing (answered or ended), or the agent closes it.
(function () {
  "use strict";
  var doc = document;
  function box() {
    var b = doc.getElementById("call-cards");
    if (!b) {
      b = doc.createElement("div");
      b.id = "call-cards";
      b.setAttribute("aria-live", "assertive");
      doc.body.appendChild(b);
    }
    return b;
  }
  function drop(m) {
    var el = doc.getElementById("call-card-" + m);
    if (el) el.remove();
  }
  function show(m) {
    fetch("/live/call-card/" + encodeURIComponent(m), { credentials: "same-origin", headers: { accept: "text/html" } })
      .then(function (r) { return r.status === 200 ? r.text() : ""; })
      .then(function (html) {
        if (!html || doc.getElementById("call-card-" + m)) return;
        var tpl = doc.createElement("template");
        tpl.innerHTML = html.trim();
        var card = tpl.content.firstElementChild;
        if (!card) return;
        var b = box();
        if (card.hasAttribute("data-mine")) b.insertBefore(card, b.firstChild);
        else b.appendChild(card);
      })
      .catch(function () {});
  }
  doc.addEventListener("sse:pano", function (e) {
    var n;
    try { n = JSON.parse(e.detail.data); } catch (err) { return; }
    if (!n || n.t !== "call" || !/^\d+$/.test(String(n.m))) return;
    if (n.ring) show(String(n.m));
    else drop(String(n.m));
  });
  doc.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-dismiss-call]");
    if (!b) return;
    var card = b.closest(".call-card");
    if (card) card.remove();
  });
})();
