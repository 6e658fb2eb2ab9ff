// Notifications in the page: the bell's count follows the live stream, a background tab shows a
// browser notification with a short sound, the browser is asked for permission only when the
// agent presses the button (in the bell's menu, or offered after their first mention), and this
// device's Web Push subscription is kept in step. Also the note composer's @mention list.
(function () {
  "use strict";
  var doc = document;
  var $ = function (sel, root) { return (root || doc).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); };
  var canNotify = "Notification" in window;
  var canPush = "serviceWorker" in navigator && "PushManager" in window;
  function csrf() { var m = $("meta[name=csrf-token]"); return m ? m.getAttribute("content") : ""; }
  function say(text) { if (window.panoToast) window.panoToast("<p role='status'>" + String(text).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }) + "</p>"); }
  function permissionBox() { return $("[data-notif-permission]"); }

  // ---- asking, only on a press ----
  function showPermissionButtons() {
    $$("[data-notif-permission]").forEach(function (p) { p.hidden = !canNotify || Notification.permission !== "default"; });
  }
  function enable() {
    var box = permissionBox();
    if (!canNotify) { if (box) say(box.getAttribute("data-unsupported")); return; }
    Notification.requestPermission().then(function (p) {
      showPermissionButtons();
      var b = permissionBox();
      if (p === "granted") {
        if (b) say(b.getAttribute("data-on"));
        syncPush(true);
      } else if (p === "denied" && b) say(b.getAttribute("data-blocked"));
    });
  }
  doc.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-notif-enable]");
    if (btn) { e.preventDefault(); enable(); }
    unlockSound();
  });
  doc.addEventListener("htmx:afterSwap", showPermissionButtons);
  // Escape closes the bell's menu and returns to the bell; a click elsewhere closes it too.
  doc.addEventListener("keydown", function (e) {
    var menu = doc.getElementById("notif-menu");
    if (e.key !== "Escape" || !menu || !menu.open || !menu.contains(e.target)) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  });
  doc.addEventListener("click", function (e) {
    var menu = doc.getElementById("notif-menu");
    if (menu && menu.open && !menu.contains(e.target)) menu.open = false;
  });

  // ---- Web Push: this device's subscription, under the key Pano signs with ----
  function keyBytes(b64) {
    var s = b64.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var raw = atob(s), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function sameKey(sub, key) {
    var k = sub.options && sub.options.applicationServerKey;
    if (!k) return true;
    var a = new Uint8Array(k);
    if (a.length !== key.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== key[i]) return false;
    return true;
  }
  function post(url, body) {
    return fetch(url, { method: "POST", credentials: "same-origin", headers: { "content-type": "application/json", "X-CSRF-Token": csrf() }, body: JSON.stringify(body) });
  }
  function syncPush(asked) {
    if (!canPush || !canNotify || Notification.permission !== "granted" || !csrf()) return Promise.resolve();
    var key;
    return navigator.serviceWorker.register("/sw.js").then(function () { return navigator.serviceWorker.ready; }).then(function (reg) {
      return fetch("/notifications/push/key", { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (k) {
        key = keyBytes(k.public_key);
        return reg.pushManager.getSubscription().then(function (sub) {
          // Subscribed under another key (Pano's data dir was replaced): subscribe again.
          if (sub && !sameKey(sub, key)) return sub.unsubscribe().then(function () { return null; });
          return sub;
        }).then(function (sub) {
          return sub || reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
        });
      });
    }).then(function (sub) {
      return post("/notifications/push/subscribe", sub.toJSON());
    }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      try { sessionStorage.setItem("pano-push", "1"); } catch (e) {}
      var b = permissionBox();
      if (asked && b) say(b.getAttribute("data-push-on"));
    }).catch(function () {
      var b = permissionBox();
      if (asked && b) say(b.getAttribute("data-push-failed"));
    });
  }
  var synced = false;
  try { synced = sessionStorage.getItem("pano-push") === "1"; } catch (e) {}
  if (!synced) syncPush(false);

  // ---- sound: a short two-tone chime, made here (no file to fetch) ----
  var audio = null;
  function unlockSound() {
    if (audio || !(window.AudioContext || window.webkitAudioContext)) return;
    try { audio = new (window.AudioContext || window.webkitAudioContext)(); } catch (e) { audio = null; }
  }
  function chime() {
    if (!audio) return;
    if (audio.state === "suspended") audio.resume().catch(function () {});
    var t = audio.currentTime;
    [880, 1320].forEach(function (f, i) {
      var o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = f;
      g.gain.setValueAtTime(0.0001, t + i * 0.15);
      g.gain.exponentialRampToValueAtTime(0.2, t + i * 0.15 + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.15 + 0.25);
      o.connect(g).connect(audio.destination);
      o.start(t + i * 0.15);
      o.stop(t + i * 0.15 + 0.3);
    });
  }
  window.panoChime = chime;

  // ---- what the agent opens is read ----
  function openConversation() { var c = $("#conversation [data-conversation]"); return c ? c.getAttribute("data-conversation") : null; }
  function unread() { var b = doc.getElementById("notif-count"); return b ? Number(b.getAttribute("data-unread") || "0") : 0; }
  function readConversation(id, always) {
    if (!id || !csrf() || (!always && !unread())) return;
    fetch("/notifications/conversation/" + encodeURIComponent(id) + "/read", { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf() } })
      .then(function (r) { if (always || r.headers.get("HX-Trigger")) htmx.trigger(doc.body, "pano:notif"); }).catch(function () {});
  }
  doc.addEventListener("htmx:afterSwap", function (e) { if (e.detail.target && e.detail.target.id === "conversation") readConversation(openConversation()); });
  // A page loaded with a conversation open (/inbox?c=..).
  if (openConversation()) readConversation(openConversation(), true);

  // ---- the live stream's notices for me ----
  function inBackground() { return doc.hidden || !doc.hasFocus(); }
  var offered = false;
  doc.addEventListener("sse:pano", function (e) {
    var n;
    try { n = JSON.parse(e.detail.data); } catch (err) { return; }
    if (!n || n.t !== "notif") return;
    // About the conversation on screen, with the agent looking at it: already seen (the bell refreshes after).
    if (n.conv && String(n.conv) === openConversation() && !inBackground()) return readConversation(String(n.conv), true);
    htmx.trigger(doc.body, "pano:notif");
    var menu = doc.getElementById("notif-menu");
    if (menu && menu.open) htmx.trigger(doc.body, "pano:notif-panel");
    var a = n.a;
    if (!a || !inBackground()) return;
    chime();
    if (canNotify && Notification.permission === "granted") {
      var shown = new Notification(a.title, { body: a.body || "", tag: a.tag || undefined, icon: "/assets/pano-icon-192.png" });
      shown.onclick = function () { window.focus(); shown.close(); if (/^\/[^/]/.test(a.url)) location.href = a.url; };
    } else if (canNotify && Notification.permission === "default" && !offered) {
      // The first alert the agent misses is the sensible moment to offer browser notifications.
      offered = true;
      var b = permissionBox();
      if (b && window.panoToast) window.panoToast("<p role='status'>" + b.innerHTML + "</p>");
    }
  });
  showPermissionButtons();

  // ---- the note composer's @mention list ----
  var mention = { at: -1, timer: null, seq: 0, skip: false };
  function noteMode() { var m = $("#composer input[name=mode]:checked"); return m && m.value === "note"; }
  function list() { return doc.getElementById("mention-list"); }
  function closeList() { var l = list(); if (l) l.remove(); mention.at = -1; var ta = doc.getElementById("reply-text"); if (ta) ta.removeAttribute("aria-activedescendant"); }
  function typedMention(ta) {
    var head = ta.value.slice(0, ta.selectionStart);
    var m = /(^|[^\w@])@([^\s@]{0,30}(?: [^\s@]{0,30}){0,3})$/.exec(head);
    return m ? { at: head.length - m[2].length - 1, q: m[2] } : null;
  }
  function lookup(ta) {
    var found = noteMode() && typedMention(ta);
    if (!found) return closeList();
    mention.at = found.at;
    var seq = ++mention.seq;
    clearTimeout(mention.timer);
    mention.timer = setTimeout(function () {
      fetch("/notifications/mentionables?q=" + encodeURIComponent(found.q), { credentials: "same-origin", headers: { "HX-Request": "true" } })
        .then(function (r) { return r.status === 200 ? r.text() : ""; })
        .then(function (html) {
          if (seq !== mention.seq) return;
          var old = list();
          if (!html) { if (old) old.remove(); return; }
          var t = doc.createElement("template");
          t.innerHTML = html.trim();
          var ul = t.content.firstElementChild;
          if (old) old.replaceWith(ul); else ta.insertAdjacentElement("afterend", ul);
          ta.setAttribute("aria-controls", "mention-list");
          activate(0);
        }).catch(function () {});
    }, 120);
  }
  function items() { var l = list(); return l ? $$("li", l) : []; }
  function activate(i) {
    var all = items(), ta = doc.getElementById("reply-text");
    if (!all.length) return;
    i = (i + all.length) % all.length;
    all.forEach(function (li, k) { li.setAttribute("aria-selected", k === i ? "true" : "false"); });
    all[i].scrollIntoView({ block: "nearest" });
    if (ta) ta.setAttribute("aria-activedescendant", all[i].id);
  }
  function current() { var all = items(); for (var i = 0; i < all.length; i++) if (all[i].getAttribute("aria-selected") === "true") return i; return 0; }
  function pick(li) {
    var ta = doc.getElementById("reply-text");
    if (!ta || !li || mention.at < 0) return closeList();
    var caret = ta.selectionStart, name = "@" + li.getAttribute("data-name") + " ";
    ta.value = ta.value.slice(0, mention.at) + name + ta.value.slice(caret);
    ta.selectionStart = ta.selectionEnd = mention.at + name.length;
    closeList();
    mention.skip = true;
    ta.dispatchEvent(new Event("input", { bubbles: true }));
    ta.focus();
  }
  doc.addEventListener("input", function (e) {
    if (e.target.id !== "reply-text") return;
    if (mention.skip) { mention.skip = false; return; }
    lookup(e.target);
  });
  doc.addEventListener("change", function (e) { if (e.target.name === "mode") closeList(); });
  // Before pano.js's composer keys (capture): Enter picks a name instead of sending the note.
  doc.addEventListener("keydown", function (e) {
    if (e.target.id !== "reply-text" || !list()) return;
    var stop = function () { e.preventDefault(); e.stopPropagation(); };
    if (e.key === "ArrowDown") { stop(); activate(current() + 1); }
    else if (e.key === "ArrowUp") { stop(); activate(current() - 1); }
    else if ((e.key === "Enter" || e.key === "Tab") && !e.isComposing) { stop(); pick(items()[current()]); }
    else if (e.key === "Escape") { stop(); closeList(); }
  }, true);
  doc.addEventListener("mousedown", function (e) {
    var li = e.target.closest && e.target.closest("#mention-list li");
    if (li) { e.preventDefault(); pick(li); }
  });
  doc.addEventListener("pano:sent", closeList);
})();
