// The copilot in the composer: streams a draft into the text box (never sends it) or a summary
// into its panel, from GET /conversations/:id/copilot/<draft|summary> (Server-Sent Events read with
// fetch, so a finished answer is never asked again as an EventSource reconnect would).
(function () {
  "use strict";
  if (window.__panoCopilot) return;
  window.__panoCopilot = true;
  var doc = document;
  var running = null;

  function tools() { return doc.querySelector("[data-copilot-tools]"); }
  function status(text) { var o = doc.querySelector("[data-copilot-status]"); if (o) o.textContent = text || ""; }
  function busy(on) {
    var t = tools();
    if (!t) return;
    t.querySelectorAll("[data-copilot]").forEach(function (b) { b.disabled = on; });
    var stop = t.querySelector("[data-copilot-stop]");
    if (stop) stop.hidden = !on;
  }

  function events(body, onEvent) {
    var reader = body.getReader();
    var dec = new TextDecoder();
    var buf = "";
    function pump() {
      return reader.read().then(function (x) {
        if (x.done) return;
        buf += dec.decode(x.value, { stream: true });
        var cut;
        while ((cut = buf.indexOf("\n\n")) >= 0) {
          var block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          var ev = "message", data = [];
          block.split("\n").forEach(function (l) {
            if (l.indexOf("event:") === 0) ev = l.slice(6).trim();
            else if (l.indexOf("data:") === 0) data.push(l.slice(5).replace(/^ /, ""));
          });
          onEvent(ev, data.join("\n"));
        }
        return pump();
      });
    }
    return pump();
  }

  function run(btn) {
    if (running) return;
    var kind = btn.getAttribute("data-copilot");
    var t = tools();
    var box = kind === "draft" ? doc.getElementById("reply-text") : t.querySelector("[data-copilot-summary]");
    if (!box) return;
    var ctl = new AbortController();
    running = ctl;
    busy(true);
    status(t.getAttribute("data-writing"));
    if (kind === "draft") {
      var reply = doc.querySelector("#composer input[name=mode][value=reply]");
      if (reply && !reply.disabled) { reply.checked = true; reply.dispatchEvent(new Event("change", { bubbles: true })); }
      if (box.value.trim()) box.value = box.value.replace(/\s+$/, "") + "\n\n";
    } else {
      box.hidden = false;
      box.textContent = "";
    }
    var ended = false;
    fetch("/conversations/" + encodeURIComponent(btn.getAttribute("data-conversation")) + "/copilot/" + kind, { credentials: "same-origin", headers: { accept: "text/event-stream" }, signal: ctl.signal })
      .then(function (r) {
        if (!r.ok || !r.body) throw new Error("HTTP " + r.status);
        return events(r.body, function (ev, data) {
          if (ev === "token") {
            var piece = JSON.parse(data);
            if (kind === "draft") { box.value += piece; box.dispatchEvent(new Event("input", { bubbles: true })); }
            else box.textContent += piece;
          } else if (ev === "done") {
            ended = true;
            status(kind === "draft" ? t.getAttribute("data-review") : "");
            if (kind === "draft") box.focus();
          } else if (ev === "failed") {
            ended = true;
            status(data);
          }
        });
      })
      .catch(function (err) { if (!ctl.signal.aborted) status(String(err && err.message || err)); })
      .then(function () {
        if (ctl.signal.aborted) status(t.getAttribute("data-stopped"));
        else if (!ended) status(t.getAttribute("data-stopped"));
        running = null;
        busy(false);
      });
  }

  doc.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-copilot]");
    if (b) { e.preventDefault(); run(b); return; }
    var s = e.target.closest && e.target.closest("[data-copilot-stop]");
    if (s && running) { e.preventDefault(); running.abort(); }
  });
})();
