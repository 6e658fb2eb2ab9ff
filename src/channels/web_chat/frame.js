// The chat inside Pano's frame: session, transcript, live notices (SSE), sending text and files.
// Text is only ever set as textContent: a visitor's or agent's "<b>" stays the characters "<b>".
(function () {
  var boot = JSON.parse(document.body.getAttribute("data-boot"));
  var t = boot.texts;
  var $ = function (id) { return document.getElementById(id); };
  var log = $("log"), text = $("text"), notice = $("notice"), prechat = $("prechat"), composer = $("composer");
  var STORE = "pano-session:" + boot.token;
  var session = null, lastId = 0, count = 0, live = null, init = null, visitor = null;
  // The agent's name as their last reply gave it; "<name> is typing…" shows over it for a while.
  var agentName = "", typingTimer = null, wantFocus = false, typingSent = 0;
  var TYPING_SHOWN_MS = 6000, TYPING_EVERY_MS = 3000;
  var fill = function (s, v) { return s.replace(/\{(\w+)\}/g, function (m, k) { return k in v ? v[k] : m; }); };
  document.documentElement.style.setProperty("--pano-color", boot.color);

  function say(msg) { notice.textContent = msg; notice.hidden = !msg; }
  function api(method, path, body, isForm) {
    var headers = { "x-pano-session": session || "" };
    if (body && !isForm) headers["content-type"] = "application/json";
    return fetch("/chat/api/" + path, { method: method, headers: headers, body: body ? (isForm ? body : JSON.stringify(body)) : undefined });
  }
  async function refusal(res) {
    var e = {};
    try { e = (await res.json()).error || {}; } catch (x) {}
    if (res.status === 429) return fill(t.slow_down, { seconds: res.headers.get("retry-after") || "60" });
    if (e.code === "text_too_long") return fill(t.too_long, { max: boot.textLimit });
    if (e.code === "unsupported_file") return t.bad_file;
    if (e.code === "file_too_large" || res.status === 413) return fill(t.big_file, { max: Math.round(boot.fileLimit / 1048576) });
    if (e.code === "pre_chat_required") { prechat.hidden = false; return fill(t.required, { field: t[e.message.split(" ")[0]] || "" }); }
    if (res.status === 403) return t.refused;
    return t.failed;
  }

  function bubble(m) {
    var row = document.createElement("div");
    row.className = "msg " + (m.mine ? "mine" : "theirs");
    row.setAttribute("data-id", m.id);
    if (!m.mine) {
      var who = document.createElement("span");
      who.className = "who";
      who.textContent = m.author || t.agent;
      row.appendChild(who);
      agentName = m.author || "";
      if (!typingTimer) $("agent").textContent = agentName;
    }
    if (m.text) {
      var p = document.createElement("p");
      p.textContent = m.text;
      row.appendChild(p);
    }
    if (m.survey) row.appendChild(surveyBox(m.survey));
    (m.files || []).forEach(function (f) {
      if (!f.url) return;
      var a = document.createElement("a");
      a.href = f.url; a.target = "_blank"; a.rel = "noopener noreferrer";
      if (f.image) { var img = document.createElement("img"); img.src = f.url; img.alt = f.name; a.appendChild(img); }
      else a.textContent = "📄 " + f.name;
      row.appendChild(a);
    });
    if (m.mine) {
      var mark = document.createElement("span");
      mark.className = "mark";
      mark.setAttribute("data-status", m.status);
      mark.textContent = m.status === "read" ? "✓✓ " + t.read : "✓ " + t.sent;
      row.appendChild(mark);
    }
    return row;
  }
  // A satisfaction survey: five buttons (1-5) under the question; once rated, thanks and a comment box.
  function surveyBox(sv) {
    var box = document.createElement("div");
    box.className = "survey";
    box.setAttribute("data-survey", sv.id);
    var group = document.createElement("div");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", t.title);
    [1, 2, 3, 4, 5].forEach(function (n) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = n + " ★";
      b.setAttribute("data-rating", n);
      b.setAttribute("aria-label", fill(t.survey_rate, { n: n }));
      b.setAttribute("aria-pressed", String(sv.rating === n));
      b.addEventListener("click", function () { rate(sv, n, null, box); });
      group.appendChild(b);
    });
    box.appendChild(group);
    if (sv.rating) {
      var thanks = document.createElement("p");
      thanks.className = "survey-thanks";
      thanks.setAttribute("role", "status");
      thanks.textContent = sv.comment ? t.survey_commented : fill(t.survey_thanks, { n: sv.rating });
      box.appendChild(thanks);
      if (!sv.comment) {
        var form = document.createElement("form");
        var area = document.createElement("textarea");
        area.rows = 2; area.maxLength = 2000; area.setAttribute("aria-label", t.survey_comment); area.placeholder = t.survey_comment;
        var send = document.createElement("button");
        send.type = "submit"; send.textContent = t.survey_send;
        form.appendChild(area); form.appendChild(send);
        form.addEventListener("submit", function (e) { e.preventDefault(); if (area.value.trim()) rate(sv, sv.rating, area.value.trim(), box); });
        box.appendChild(form);
      }
    }
    return box;
  }
  async function rate(sv, n, comment, box) {
    var res = await api("POST", "csat", { survey_id: sv.id, rating: n, comment: comment });
    if (!res.ok) { say(t.survey_failed); return; }
    say("");
    sv.rating = n;
    if (comment) sv.comment = comment;
    var next = surveyBox(sv);
    box.replaceWith(next);
    var focus = next.querySelector(comment ? "button[aria-pressed=true]" : "textarea") || next.querySelector("button");
    if (focus) focus.focus();
  }

  function welcome() {
    var w = document.createElement("div");
    w.className = "msg theirs welcome";
    var p = document.createElement("p");
    p.textContent = boot.welcome;
    w.appendChild(p);
    log.appendChild(w);
  }

  // A fetch that fails because Pano is away (restarting, the network dropped) is no error of the
  // page: the live stream's "hello" catches up again once it is back.
  var quiet = function () {};
  async function catchUp() {
    if (!session) return;
    var res = await api("GET", "messages?after=" + lastId).catch(quiet);
    if (!res) return;
    if (res.status === 401) { localStorage.removeItem(STORE); session = null; return start(); }
    if (!res.ok) return;
    var items = (await res.json()).items;
    var theirs = false;
    items.forEach(function (m) {
      var old = log.querySelector('[data-id="' + m.id + '"]');
      var pending = m.mine && log.querySelector(".msg.pending");
      if (pending) pending.remove();
      if (old) old.replaceWith(bubble(m)); else log.appendChild(bubble(m));
      lastId = Math.max(lastId, m.id);
      count++;
      if (!m.mine) theirs = true;
    });
    if (items.length) log.scrollTop = log.scrollHeight;
    if (theirs) showTyping(null);
    if (theirs) api("POST", "receipt", { status: document.visibilityState === "visible" ? "read" : "delivered" }).catch(quiet);
    if (items.length === 200) catchUp();
  }
  // Marks of the visitor's own messages change (an agent read them): refresh those already shown.
  async function refreshMarks() {
    var res = await api("GET", "messages?after=0").catch(quiet);
    if (!res || !res.ok) return;
    (await res.json()).items.forEach(function (m) {
      var old = log.querySelector('[data-id="' + m.id + '"]');
      if (old && m.mine) old.replaceWith(bubble(m));
    });
  }

  function connect() {
    if (live) live.close();
    live = new EventSource("/chat/api/live?session=" + encodeURIComponent(session));
    live.addEventListener("hello", function () { say(""); catchUp(); });
    live.addEventListener("changed", function () { catchUp(); });
    live.addEventListener("typing", function (e) {
      var d = {};
      try { d = JSON.parse(e.data || "{}"); } catch (x) {}
      showTyping(d.name || t.agent);
    });
    // EventSource retries a dropped stream by itself (every 2 s, as the server's retry says); an
    // answer it will not retry (a proxy's 502 while Pano restarts) closes it, so the chat opens a new one.
    live.onerror = function () {
      say(t.offline);
      if (live.readyState === 2) setTimeout(function () { if (live && live.readyState === 2) connect(); }, 3000);
    };
  }

  // Said again every few seconds while the agent types; it fades when that stops or their reply lands.
  function showTyping(name) {
    clearTimeout(typingTimer);
    typingTimer = null;
    if (!name) { $("agent").textContent = agentName; return; }
    $("agent").textContent = fill(t.typing, { name: name });
    typingTimer = setTimeout(function () { showTyping(null); }, TYPING_SHOWN_MS);
  }

  // Where the keyboard lands when the chat opens: the first field the visitor must fill, else the message box.
  function focusComposer() {
    var first = !prechat.hidden && prechat.querySelector("label:not([hidden]) input");
    (first || text).focus();
  }

  async function start() {
    var res = await fetch("/chat/api/session", {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: boot.token, origin: boot.origin, session: localStorage.getItem(STORE), user: (init && init.user) || null }),
    });
    if (!res.ok) { say(await refusal(res)); return; }
    var d = await res.json();
    session = d.session;
    try { localStorage.setItem(STORE, session); } catch (e) {}
    await catchUp();
    // Outside business hours: when the shop answers, and (unless signed in or already asked) an email
    // or phone to answer at; messages are still taken.
    var closed = d.hours && !d.hours.open;
    $("hours").textContent = closed && d.hours.says ? d.hours.says[boot.lang] : "";
    $("hours").hidden = !$("hours").textContent;
    var asks = function (f) { return boot.preChat[f] || (closed && f !== "name"); };
    var ask = ["name", "email", "phone"].filter(asks);
    if (ask.length && !d.verified && !visitor && (!count || closed)) {
      prechat.hidden = false;
      $("prechat-intro").textContent = closed ? t.closed_ask : t.pre_chat_intro;
      Array.prototype.forEach.call(prechat.querySelectorAll("label"), function (l) {
        var f = l.getAttribute("data-field");
        l.hidden = !asks(f);
        l.querySelector("input").required = boot.preChat[f] === "required";
      });
    }
    if (wantFocus) focusComposer();
    connect();
  }

  prechat.addEventListener("submit", function (e) {
    e.preventDefault();
    var v = {};
    for (var f of ["name", "email", "phone"]) {
      var input = prechat.elements[f];
      if (boot.preChat[f] === "required" && !input.value.trim()) { say(fill(t.required, { field: t[f] })); input.focus(); return; }
      if (input.value.trim()) v[f] = input.value.trim();
    }
    visitor = v;
    prechat.hidden = true;
    say("");
    text.focus();
  });

  var clientId = function () { var b = new Uint8Array(12); crypto.getRandomValues(b); return Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join(""); };

  async function send(body, isForm, preview) {
    var p = document.createElement("div");
    p.className = "msg mine pending";
    p.textContent = preview;
    log.appendChild(p);
    log.scrollTop = log.scrollHeight;
    var res = await api("POST", "messages", body, isForm);
    if (!res.ok) { p.remove(); say(await refusal(res)); return false; }
    say("");
    await catchUp();
    return true;
  }

  composer.addEventListener("submit", async function (e) {
    e.preventDefault();
    var value = text.value.trim();
    if (!value || !session) return;
    if (Array.from(value).length > boot.textLimit) { say(fill(t.too_long, { max: boot.textLimit })); return; }
    if (!prechat.hidden) { say(t.pre_chat_intro); return; }
    var body = { client_id: clientId(), text: value, visitor: visitor || undefined, page: init && init.page, referrer: init && init.referrer };
    text.value = "";
    if (!(await send(body, false, value))) text.value = value;
  });
  // While the visitor types, the agents see "Customer is typing…" (one signal every few seconds, not per key).
  text.addEventListener("input", function () {
    var now = Date.now();
    if (!session || !count || !text.value.trim() || now - typingSent < TYPING_EVERY_MS) return;
    typingSent = now;
    api("POST", "typing").catch(function () {});
  });
  // Enter sends; Shift+Enter breaks the line (and an IME composing Vietnamese is left alone).
  text.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); composer.requestSubmit(); }
  });
  $("file").addEventListener("change", async function () {
    var f = this.files[0];
    this.value = "";
    if (!f || !session) return;
    if (f.size > boot.fileLimit) { say(fill(t.big_file, { max: Math.round(boot.fileLimit / 1048576) })); return; }
    var form = new FormData();
    form.append("client_id", clientId());
    form.append("file", f);
    if (init && init.page) form.append("page", init.page);
    await send(form, true, "📎 " + f.name);
  });
  $("close").addEventListener("click", function () { parent.postMessage({ type: "pano:close" }, boot.origin); });
  // Escape anywhere in the chat closes it; the page puts the keyboard back on its launcher.
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !e.isComposing) { e.preventDefault(); parent.postMessage({ type: "pano:close" }, boot.origin); }
  });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible" && count) { catchUp(); api("POST", "receipt", { status: "read" }).catch(quiet); } });
  setInterval(function () { if (session && document.visibilityState === "visible") refreshMarks(); }, 15000);

  welcome();
  window.addEventListener("message", function (e) {
    if (e.origin !== boot.origin || e.source !== parent || !e.data) return;
    // The page opened the chat (again): the keyboard goes to the message box.
    if (e.data.type === "pano:focus") { wantFocus = true; focusComposer(); return; }
    if (e.data.type !== "pano:init" || init) return;
    init = e.data;
    start();
  });
  parent.postMessage({ type: "pano:ready" }, boot.origin);
  // A page that never answers (the frame opened on its own): start without the page's details.
  setTimeout(function () { if (!init) { init = {}; start(); } }, 1500);
})();
