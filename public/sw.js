// Pano's service worker: shows a Web Push as a notification (even with every Pano tab closed)
// and opens what it is about when clicked. Nothing is cached: Pano is live or it is nothing.
"use strict";
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (e) { e.waitUntil(self.clients.claim()); });

self.addEventListener("push", function (e) {
  var msg = {};
  try { msg = e.data ? e.data.json() : {}; } catch (err) { msg = { title: "Pano", body: e.data ? e.data.text() : "" }; }
  e.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (wins) {
      // A Pano tab the agent is looking at shows it itself (the live stream): no second alert.
      if (wins.some(function (w) { return w.visibilityState === "visible" && w.focused; })) return;
      return self.registration.showNotification(msg.title || "Pano", {
        body: msg.body || "",
        tag: msg.tag || undefined,
        data: { url: msg.url || "/inbox" },
        icon: "/assets/pano-icon-192.png",
        badge: "/assets/pano-icon-192.png",
        renotify: !!msg.tag,
      });
    }),
  );
});

self.addEventListener("notificationclick", function (e) {
  e.notification.close();
  var url = new URL((e.notification.data && e.notification.data.url) || "/inbox", self.location.origin);
  if (url.origin !== self.location.origin) url = new URL("/inbox", self.location.origin);
  e.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (wins) {
      for (var i = 0; i < wins.length; i++) {
        if (new URL(wins[i].url).origin === url.origin && "navigate" in wins[i]) {
          return wins[i].navigate(url.href).then(function (w) { return (w || wins[i]).focus(); });
        }
      }
      return self.clients.openWindow(url.href);
    }),
  );
});
