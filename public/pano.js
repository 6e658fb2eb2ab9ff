// Pano's page script: small on purpose (htmx does the fetching and swapping). It adds what htmx
// cannot say in attributes: live updates placed into the sorted list and the open timeline,
// the composer's keys and canned replies, and the inbox's keyboard shortcuts.
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.add("js");
  doc.body && doc.body.classList.add("js");
  var $ = function (sel, root) { return (root || doc).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); };

  function toast(html) {
    var t = doc.getElementById("toast");
    if (!t) return;
    t.innerHTML = html;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { t.innerHTML = ""; }, 6000);
  }
  window.panoToast = toast;
  function escapeHtml(s) { return String(s).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); }

  // A failed htmx request shows the server's (localised, escaped) message instead of nothing.
  doc.addEventListener("htmx:responseError", function (e) {
    var x = e.detail.xhr;
    toast(x && x.responseText && x.responseText.length < 2000 && /^<p role="alert">/.test(x.responseText) ? x.responseText : "<p role='alert'>" + escapeHtml(x.status) + "</p>");
  });
  doc.addEventListener("change", function (e) {
    var el = e.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) el.form.requestSubmit();
  });

  // ---- fetching fragments outside htmx (live updates) ----
  function getHtml(url) {
    return fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" }).then(function (r) {
      var to = r.headers.get("HX-Redirect");
      if (to) { window.location.href = to; throw new Error("redirect"); }
      if (!r.ok) throw new Error(String(r.status));
      return r.text().then(function (text) { return { status: r.status, keep: r.headers.get("X-Pano-Keep") === "1", html: text }; });
    });
  }
  function fragment(html) {
    var t = doc.createElement("template");
    t.innerHTML = html;
    return t.content;
  }

  // ---- the list ----
  function listEl() { return doc.getElementById("conv-list"); }
  function openId() {
    var c = $("#conversation [data-conversation]");
    return c ? c.getAttribute("data-conversation") : null;
  }
  function markSelected() {
    var id = openId();
    $$(".conv-row").forEach(function (r) {
      var on = r.getAttribute("data-id") === id;
      r.classList.toggle("selected", on);
      var a = r.querySelector("a");
      if (a) { if (on) a.setAttribute("aria-current", "true"); else a.removeAttribute("aria-current"); }
    });
    var inbox = doc.getElementById("inbox");
    if (inbox) inbox.classList.toggle("has-open", !!id);
  }
  function placeRow(row) {
    var list = listEl();
    var key = row.getAttribute("data-sort");
    var rows = $$(".conv-row", list);
    var more = $(".more", list);
    var before = null;
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("data-sort") > key) { before = rows[i]; break; }
    }
    // Beyond the loaded part of the list: it arrives with the next page instead.
    if (!before && more) return;
    list.insertBefore(row, before || more || null);
    htmx.process(row);
  }
  function refreshRow(id) {
    var list = listEl();
    if (!list) return;
    var query = list.getAttribute("data-query") || "";
    getHtml("/inbox/row/" + id + (query ? "?" + query : "")).then(function (r) {
      var old = doc.getElementById("conv-" + id);
      if (!r.html.trim()) {
        if (old && !r.keep) old.remove();
        return;
      }
      var row = fragment(r.html).firstElementChild;
      var hadFocus = old && old.contains(doc.activeElement);
      if (old) old.remove();
      var empty = doc.getElementById("list-empty");
      if (empty) empty.remove();
      placeRow(row);
      markSelected();
      if (hadFocus && row.isConnected) row.querySelector("a").focus();
    }).catch(function () {});
  }

  // ---- the open conversation ----
  function timeline() { return doc.getElementById("timeline"); }
  function nearBottom(tl) { return tl.scrollHeight - tl.scrollTop - tl.clientHeight < 120; }
  function toBottom() { var tl = timeline(); if (tl) tl.scrollTop = tl.scrollHeight; }
  // A photo or a mail frame that finishes loading after the conversation opened grows the
  // timeline: an agent reading the latest message stays on it.
  var pinned = true;
  doc.addEventListener("scroll", function (e) {
    var t = e.target;
    if (t && t.id === "timeline") pinned = t.scrollHeight - t.scrollTop - t.clientHeight < 48;
  }, true);
  doc.addEventListener("load", function (e) {
    var tl = timeline(), t = e.target;
    if (pinned && tl && t && (t.tagName === "IMG" || t.tagName === "IFRAME") && tl.contains(t)) toBottom();
  }, true);
  function maxOf(attr, floor) {
    var m = floor || 0;
    $$("[" + attr + "]", timeline()).forEach(function (el) { m = Math.max(m, Number(el.getAttribute(attr)) || 0); });
    return m;
  }
  function dedupe(tl) {
    var seen = {};
    $$("[data-mid]", tl).reverse().forEach(function (el) {
      var k = el.getAttribute("data-mid");
      if (seen[k]) el.remove(); else seen[k] = 1;
    });
  }
  var syncing = null, again = false;
  function syncTimeline(forceBottom) {
    if (syncing) { again = true; return syncing; }
    var tl = timeline();
    if (!tl) return Promise.resolve();
    var id = tl.getAttribute("data-conversation");
    var url = "/conversations/" + id + "/since?msg=" + maxOf("data-mid") + "&audit=" + maxOf("data-aid", Number(tl.getAttribute("data-aid-floor")));
    var stick = forceBottom || nearBottom(tl);
    syncing = getHtml(url).then(function (r) {
      if (timeline() !== tl || !r.html.trim()) return;
      var frag = fragment(r.html);
      $$("[data-mid]", frag).forEach(function (el) {
        var old = doc.getElementById(el.id);
        if (old) old.remove();
      });
      tl.appendChild(frag);
      dedupe(tl);
      htmx.process(tl);
      if (stick) toBottom();
    }).catch(function () {}).then(function () {
      syncing = null;
      refreshStale();
      if (again) { again = false; syncTimeline(); }
    });
    return syncing;
  }
  // A status change can be told before the sync that brings its message has landed (a refused
  // send fails in milliseconds): such messages are refreshed once that sync is done.
  var stale = {};
  function refreshStale() {
    var tl = timeline(), open = tl && tl.getAttribute("data-conversation");
    Object.keys(stale).forEach(function (mid) {
      var convId = stale[mid];
      if (String(convId) !== open) { delete stale[mid]; return; }
      if (doc.getElementById("msg-" + mid)) { delete stale[mid]; refreshMessage(convId, mid); }
    });
  }
  function refreshMessage(convId, mid) {
    var old = doc.getElementById("msg-" + mid);
    if (!old) { stale[mid] = convId; return syncTimeline(); }
    // A mail whose pictures the agent asked for keeps showing them.
    getHtml("/conversations/" + convId + "/messages/" + mid + (old.getAttribute("data-images") ? "?images=1" : "")).then(function (r) {
      var cur = doc.getElementById("msg-" + mid);
      if (!cur || !r.html.trim()) return;
      var el = fragment(r.html).firstElementChild;
      cur.replaceWith(el);
      htmx.process(el);
    }).catch(function () {});
  }
  function refreshHead(convId) {
    var head = doc.getElementById("conv-head");
    if (!head || head.contains(doc.activeElement)) return;
    // A request sent from the header (a call being placed) answers into it: refreshed after, not under it.
    if (head.querySelector(".htmx-request")) {
      // One refresh after it, however much news came meanwhile.
      if (!head.hasAttribute("data-refresh-after")) {
        head.setAttribute("data-refresh-after", "");
        head.addEventListener("htmx:afterRequest", function () { head.removeAttribute("data-refresh-after"); refreshHead(convId); }, { once: true });
      }
      return;
    }
    getHtml("/conversations/" + convId + "/head").then(function (r) {
      var cur = doc.getElementById("conv-head");
      if (!cur || cur.contains(doc.activeElement) || openId() !== String(convId)) return;
      if (cur.querySelector(".htmx-request")) return refreshHead(convId);
      var el = fragment(r.html).firstElementChild;
      // What the agent was just told (calling, or why not) stays through the refresh.
      cur.querySelectorAll(".dial-result").forEach(function (old) {
        var same = old.id && old.innerHTML.trim() && el.querySelector("#" + CSS.escape(old.id));
        if (same) same.innerHTML = old.innerHTML;
      });
      cur.replaceWith(el);
      htmx.process(el);
    }).catch(function () {});
  }

  // ---- live (SSE through htmx's extension) ----
  // Starts from where the server was when it made this page: a change between the page and the
  // stream opening is replayed, not lost.
  var lastEventId = (function () { var el = doc.getElementById("inbox"); return el && el.getAttribute("data-live-since"); })() || null;
  if (window.htmx) {
    // A fresh EventSource (after the browser gave up) still resumes where the last one stopped.
    htmx.createEventSource = function (url) {
      return new EventSource(lastEventId ? url + (url.indexOf("?") < 0 ? "?" : "&") + "last=" + encodeURIComponent(lastEventId) : url, { withCredentials: true });
    };
  }
  doc.addEventListener("sse:pano", function (e) {
    var ev = e.detail || {};
    if (ev.lastEventId) lastEventId = ev.lastEventId;
    var n;
    try { n = JSON.parse(ev.data); } catch (err) { return; }
    var inbox = doc.getElementById("inbox");
    if (inbox) inbox.classList.remove("live-lost");
    // A channel stopped or started working: the shell's banner (admins, supervisors) reloads.
    if (n.t === "typing") { if (String(n.c) === openId()) customerTyping(); return; }
    if (n.t === "channel" || n.t === "reset") htmx.trigger(doc.body, "pano:channels");
    if (n.t === "reset") {
      var list = listEl();
      if (list) htmx.ajax("GET", "/inbox/list?" + (list.getAttribute("data-query") || ""), { target: "#conv-list", swap: "innerHTML" });
      if (openId()) { syncTimeline(); refreshHead(openId()); }
      return;
    }
    if (!n.c) return;
    refreshRow(n.c);
    if (String(n.c) !== openId()) return;
    if (n.t === "msg") { refreshMessage(n.c, n.m); customerTyping(true); }
    else { syncTimeline(); refreshHead(n.c); }
  });
  doc.addEventListener("htmx:sseError", function () {
    var inbox = doc.getElementById("inbox");
    if (inbox) inbox.classList.add("live-lost");
  });

  // ---- typing, both ways ----
  // The customer's "typing" notice comes again every few seconds while they type: the line under
  // the timeline stays while it does and clears a few seconds after the last one (or when their message lands).
  var typingTimer = null;
  function customerTyping(off) {
    var el = $("#composer [data-typing]");
    clearTimeout(typingTimer);
    if (!el) return;
    el.textContent = off ? "" : el.getAttribute("data-text");
    if (!off) typingTimer = setTimeout(function () { customerTyping(true); }, 6000);
  }
  // The agent's own typing is told to the customer's channel (a website chat shows it) at most every 3 s.
  var typingSent = 0;
  function agentTyping(ta) {
    var id = openId(), now = Date.now(), meta = $("meta[name=csrf-token]");
    if (!id || !meta || mode() !== "reply" || !ta.value.trim() || now - typingSent < 3000) return;
    typingSent = now;
    fetch("/conversations/" + id + "/typing", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": meta.getAttribute("content") } }).catch(function () {});
  }

  // ---- swaps ----
  var olderAnchor = null;
  doc.addEventListener("htmx:beforeSwap", function (e) {
    var t = e.detail.target || e.detail.elt;
    if (t && t.classList && t.classList.contains("older")) {
      var tl = timeline();
      if (tl) olderAnchor = { tl: tl, fromBottom: tl.scrollHeight - tl.scrollTop };
    }
  });
  doc.addEventListener("htmx:afterSwap", function (e) {
    var t = e.detail.target;
    if (olderAnchor && olderAnchor.tl.isConnected) {
      // Older messages went in above: keep the message the agent was reading where it was.
      olderAnchor.tl.scrollTop = olderAnchor.tl.scrollHeight - olderAnchor.fromBottom;
      olderAnchor = null;
    }
    if (t && t.id === "conversation") {
      toBottom();
      markSelected();
      updateComposer();
      noteIfAsked();
    }
    if (t && t.id === "conv-list") markSelected();
  });
  doc.addEventListener("pano:sent", function () {
    var ta = doc.getElementById("reply-text");
    if (ta) { ta.value = ""; updateCounter(); }
    var files = $("#composer [data-files]");
    if (files) { files.value = ""; showChosen(files); }
    syncTimeline(true);
  });
  doc.addEventListener("pano:changed", function (e) {
    syncTimeline();
    if (e.detail && e.detail.id) refreshRow(e.detail.id);
  });

  // ---- composer ----
  function composer() { return doc.getElementById("composer"); }
  function mode() { var m = $("#composer input[name=mode]:checked"); return m ? m.value : "reply"; }
  function updateCounter() {
    var ta = doc.getElementById("reply-text");
    var out = $("#composer [data-counter]");
    if (!ta || !out) return;
    var limit = Number(ta.getAttribute("data-limit")) || 0;
    var n = ta.value.length;
    out.textContent = limit && mode() === "reply" ? n + "/" + limit : n ? String(n) : "";
    out.classList.toggle("over", !!limit && mode() === "reply" && n > limit);
  }
  function updateComposer() {
    var f = composer();
    if (!f) return;
    var note = mode() === "note";
    f.classList.toggle("private", note);
    var ta = doc.getElementById("reply-text");
    if (ta) ta.placeholder = ta.getAttribute(note ? "data-placeholder-note" : "data-placeholder-reply");
    var label = $("[data-send-label]", f);
    if (label) label.textContent = label.getAttribute(note ? "data-note" : "data-reply");
    updateCounter();
  }
  function setMode(m) {
    var r = $("#composer input[name=mode][value=" + m + "]");
    if (r && !r.disabled) r.checked = true;
    updateComposer();
    var ta = doc.getElementById("reply-text");
    if (ta) ta.focus();
  }
  // Opened from an incoming-call card's "take notes" (#note): the private note is ready to type in.
  function noteIfAsked() {
    if (location.hash !== "#note" || !composer()) return;
    history.replaceState(history.state, "", location.pathname + location.search);
    setMode("note");
  }
  noteIfAsked();
  doc.addEventListener("change", function (e) {
    if (e.target.name === "mode") updateComposer();
    if (e.target.hasAttribute && e.target.hasAttribute("data-files")) showChosen(e.target);
  });
  function chosenFiles() { var f = $("#composer [data-files]"); return f && f.files ? f.files.length : 0; }
  function showChosen(input) {
    var out = $("#composer [data-chosen]");
    if (out) out.textContent = Array.prototype.map.call(input.files || [], function (f) { return f.name; }).join(", ");
  }
  doc.addEventListener("input", function (e) {
    if (e.target.id === "reply-text") { updateCounter(); canned.update(e.target); agentTyping(e.target); }
  });

  var canned = {
    list: function () { return doc.getElementById("canned"); },
    open: function () { var l = this.list(); return l && !l.hidden; },
    items: function () { return $$("li:not([hidden])", this.list()); },
    update: function (ta) {
      var l = this.list();
      if (!l) return;
      var m = /(^|\s)\/([\w-]*)$/.exec(ta.value.slice(0, ta.selectionStart));
      if (!m || !l.children.length) return this.close();
      var q = m[2].toLowerCase(), first = true;
      $$("li", l).forEach(function (li) {
        var show = li.getAttribute("data-shortcut").toLowerCase().indexOf(q) === 0;
        li.hidden = !show;
        li.setAttribute("aria-selected", show && first ? "true" : "false");
        if (show) first = false;
      });
      l.hidden = first;
    },
    move: function (d) {
      var items = this.items(), i = items.findIndex(function (li) { return li.getAttribute("aria-selected") === "true"; });
      if (!items.length) return;
      items.forEach(function (li) { li.setAttribute("aria-selected", "false"); });
      var next = items[(i + d + items.length) % items.length];
      next.setAttribute("aria-selected", "true");
      next.scrollIntoView({ block: "nearest" });
    },
    pick: function (li) {
      var ta = doc.getElementById("reply-text");
      li = li || $("li[aria-selected=true]:not([hidden])", this.list());
      if (!ta || !li) return this.close();
      var caret = ta.selectionStart, head = ta.value.slice(0, caret).replace(/\/[\w-]*$/, "");
      ta.value = head + li.getAttribute("data-text") + ta.value.slice(caret);
      ta.selectionStart = ta.selectionEnd = (head + li.getAttribute("data-text")).length;
      this.close();
      updateCounter();
      ta.focus();
    },
    close: function () { var l = this.list(); if (l) l.hidden = true; },
  };
  doc.addEventListener("click", function (e) {
    var li = e.target.closest && e.target.closest("#canned li");
    if (li) canned.pick(li);
  });

  function composerKeys(e, ta) {
    if (canned.open()) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") { e.preventDefault(); canned.move(e.key === "ArrowDown" ? 1 : -1); return; }
      if (e.key === "Enter" || e.key === "Tab") { e.preventDefault(); canned.pick(); return; }
      if (e.key === "Escape") { e.preventDefault(); canned.close(); return; }
    }
    // isComposing: Vietnamese input methods (Telex, VNI) use Enter to commit a word.
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      if (ta.value.trim() || chosenFiles()) ta.form.requestSubmit();
    } else if (e.key === "Escape") {
      ta.blur();
      var tl = timeline();
      if (tl) tl.focus();
    }
  }

  // ---- keyboard shortcuts ----
  function rows() { return $$("#conv-list .conv-row a"); }
  function moveInList(d) {
    var all = rows();
    if (!all.length) return;
    var i = all.indexOf(doc.activeElement);
    if (i < 0) i = all.findIndex(function (a) { return a.parentElement.classList.contains("selected"); });
    var next = all[Math.max(0, Math.min(all.length - 1, i < 0 ? 0 : i + d))];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }
  function moveInHits(d) {
    var all = $$("#search-results a.search-hit");
    if (!all.length) return;
    var i = all.indexOf(doc.activeElement);
    var next = all[i < 0 ? 0 : Math.max(0, Math.min(all.length - 1, i + d))];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }
  function click(sel) { var b = $(sel); if (b) b.click(); }
  doc.addEventListener("keydown", function (e) {
    var t = e.target;
    if (t.id === "reply-text") return composerKeys(e, t);
    if (e.key === "Escape" && t.id === "search") { t.blur(); moveInList(0); return; }
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable) return;
    if (!doc.getElementById("inbox")) {
      if (e.key === "?") { var d0 = doc.getElementById("shortcuts"); if (d0) d0.showModal(); }
      if (e.key === "/") { e.preventDefault(); var s0 = doc.getElementById("search"); if (s0) s0.focus(); else location.href = "/search"; }
      if ((e.key === "j" || e.key === "k") && doc.getElementById("search-results")) { e.preventDefault(); moveInHits(e.key === "j" ? 1 : -1); }
      return;
    }
    switch (e.key) {
      case "j": case "ArrowDown": if (e.key === "j" || t.closest("#conv-list")) { e.preventDefault(); moveInList(1); } break;
      case "k": case "ArrowUp": if (e.key === "k" || t.closest("#conv-list")) { e.preventDefault(); moveInList(-1); } break;
      case "r": e.preventDefault(); setMode("reply"); break;
      case "n": e.preventDefault(); setMode("note"); break;
      case "e": e.preventDefault(); click("[data-action=resolve]"); break;
      case "a": {
        e.preventDefault();
        var sel = doc.getElementById("act-assignee");
        if (sel) sel.focus();
        break;
      }
      case "/": e.preventDefault(); var s = doc.getElementById("search"); if (s) s.focus(); break;
      case "?": e.preventDefault(); var d = doc.getElementById("shortcuts"); if (d) d.showModal(); break;
    }
  });

  // ---- panes on small screens ----
  doc.addEventListener("click", function (e) {
    var back = e.target.closest && e.target.closest("[data-back]");
    var inbox = doc.getElementById("inbox");
    if (back && inbox) {
      e.preventDefault();
      inbox.classList.remove("has-open");
      var sel = $(".conv-row.selected a");
      if (sel) sel.focus();
      return;
    }
    if (e.target.closest && e.target.closest("[data-toggle-contact]") && inbox) inbox.classList.toggle("show-contact");
    if (e.target.closest && e.target.closest("[data-shortcuts]")) { var d = doc.getElementById("shortcuts"); if (d) d.showModal(); }
  });

  // ---- copy buttons: [data-copy] names the element whose text is copied (a channel's snippet) ----
  doc.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-copy]");
    if (!btn) return;
    var src = doc.getElementById(btn.getAttribute("data-copy"));
    if (!src || !navigator.clipboard) return;
    navigator.clipboard.writeText(src.textContent).then(function () {
      var was = btn.getAttribute("data-label") || btn.textContent;
      btn.setAttribute("data-label", was);
      btn.textContent = btn.getAttribute("data-copied") || was;
      setTimeout(function () { btn.textContent = was; }, 2000);
    });
  });

  // Opened from a search result (/inbox?c=..&m=..#msg-<id>): that message, centred and marked,
  // instead of the latest one.
  function jumpToHit() {
    var m = /^#msg-(\d+)$/.exec(location.hash);
    var el = m && doc.getElementById("msg-" + m[1]);
    if (!el) return false;
    el.classList.add("hit");
    el.setAttribute("tabindex", "-1");
    el.scrollIntoView({ block: "center" });
    pinned = false;
    return true;
  }
  function ready() { if (!jumpToHit()) toBottom(); markSelected(); updateComposer(); }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", ready); else ready();
})();

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
