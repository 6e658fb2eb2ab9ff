// Pano website chat launcher. Pasted by the shop as:
//   <script src="{PANO}/widget.js" data-pano-token="{widget_token}" async></script>
// It adds one button and nothing else until the visitor opens it: then the chat runs in an iframe
// served by Pano, so the shop's CSS cannot break it. No framework, no other request before opening.
(function () {
  var script = document.currentScript || document.querySelector("script[data-pano-token]");
  if (!script || window.__panoWidget) return;
  window.__panoWidget = true;
  var token = script.getAttribute("data-pano-token");
  var base = new URL(script.src, location.href).origin;
  var lang = /^en\b/i.test(document.documentElement.lang || "") ? "en" : "vi";
  var label = lang === "en" ? "Open the chat" : "Mở cửa sổ chat";
  var closeLabel = lang === "en" ? "Close the chat" : "Đóng cửa sổ chat";
  var KEY = "pano-chat-open:" + token;
  var frame = null, box = null, opened = false, ready = false;

  var button = document.createElement("button");
  button.type = "button";
  button.setAttribute("data-pano-launcher", "");
  button.setAttribute("aria-label", label);
  button.setAttribute("aria-expanded", "false");
  button.innerHTML = '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true" fill="none" stroke="#fff" stroke-width="2" stroke-linejoin="round"><path d="M4 5h16v11H9l-5 4z"/></svg>';
  css(button, { position: "fixed", right: "20px", bottom: "20px", width: "56px", height: "56px", borderRadius: "50%", border: "0", background: "#0a6cff", boxShadow: "0 4px 14px rgba(0,0,0,.25)", cursor: "pointer", zIndex: "2147483646", display: "flex", alignItems: "center", justifyContent: "center", padding: "0" });

  function css(el, s) { for (var k in s) el.style[k] = s[k]; }
  var phone = window.matchMedia("(max-width: 640px)");

  function place() {
    if (!box) return;
    if (phone.matches) css(box, { inset: "0", right: "0", bottom: "0", width: "100%", height: "100%", maxHeight: "none", borderRadius: "0" });
    else css(box, { inset: "auto", right: "20px", bottom: "88px", width: "380px", height: "600px", maxHeight: "calc(100vh - 108px)", borderRadius: "12px" });
  }

  function build() {
    box = document.createElement("div");
    box.setAttribute("data-pano-chat", "");
    css(box, { position: "fixed", zIndex: "2147483647", overflow: "hidden", boxShadow: "0 8px 30px rgba(0,0,0,.3)", background: "#fff" });
    frame = document.createElement("iframe");
    frame.title = "Pano chat";
    frame.setAttribute("allow", "clipboard-write");
    frame.src = base + "/chat/frame?token=" + encodeURIComponent(token) + "&origin=" + encodeURIComponent(location.origin) + "&lang=" + lang;
    css(frame, { border: "0", width: "100%", height: "100%", display: "block" });
    box.appendChild(frame);
    document.body.appendChild(box);
    place();
    if (phone.addEventListener) phone.addEventListener("change", place);
  }

  function show(on) {
    opened = on;
    if (on && !box) build();
    box.style.display = on ? "block" : "none";
    button.setAttribute("aria-expanded", String(on));
    button.setAttribute("aria-label", on ? closeLabel : label);
    // On a phone the chat is a full-screen sheet: the launcher would sit on top of it.
    button.style.display = on && phone.matches ? "none" : "flex";
    try { on ? sessionStorage.setItem(KEY, "1") : sessionStorage.removeItem(KEY); } catch (e) {}
    // The keyboard follows the chat: into its message box when it opens (once the frame is ready:
    // see pano:ready), back to the launcher when it closes.
    if (on) { frame.focus(); if (ready) frame.contentWindow.postMessage({ type: "pano:focus" }, base); } else button.focus();
  }

  button.addEventListener("click", function () { show(!opened); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape" && opened) show(false); });

  window.addEventListener("message", function (e) {
    if (e.origin !== base || !frame || e.source !== frame.contentWindow) return;
    var d = e.data || {};
    if (d.type === "pano:ready") {
      var settings = window.panoSettings || {};
      ready = true;
      frame.contentWindow.postMessage({ type: "pano:init", user: settings.user || null, page: location.href, referrer: document.referrer }, base);
      if (opened) frame.contentWindow.postMessage({ type: "pano:focus" }, base);
    } else if (d.type === "pano:close") show(false);
  });

  function mount() {
    document.body.appendChild(button);
    var again = false;
    try { again = sessionStorage.getItem(KEY) === "1"; } catch (e) {}
    // The visitor had the chat open on the previous page: it stays open across page loads.
    if (again) show(true);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
