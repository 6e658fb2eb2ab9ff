// Pano's page script: small on purpose (htmx does the fetching and swapping).
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.add("js");
  doc.body && doc.body.classList.add("js");
  function toast(html) {
    var t = doc.getElementById("toast");
    if (!t) return;
    t.innerHTML = html;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { t.innerHTML = ""; }, 6000);
  }
  window.panoToast = toast;
  // A failed htmx request shows the server's (localised) message instead of doing nothing.
  doc.addEventListener("htmx:responseError", function (e) {
    var x = e.detail.xhr;
    toast(x && x.responseText && x.responseText.length < 2000 ? x.responseText : "<p role='alert'>" + x.status + "</p>");
  });
  doc.addEventListener("change", function (e) {
    var el = e.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) el.form.requestSubmit();
  });
})();
