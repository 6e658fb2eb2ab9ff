// What lets agents add Pano to a phone's home screen and get pushes with every tab closed: the
// web app manifest and the service worker, served from the root so its scope is the whole site
// (the worker, its icons and the page's notifications.js are assets); then /notifications and
// its session-bound routes.
import { Hono } from "hono";
import type { Pano } from "../pano.ts";
import { serveAsset } from "./assets.ts";
import { notificationPageRoutes } from "./routes/pages/notifications.ts";

const MANIFEST = JSON.stringify({
  name: "Pano",
  short_name: "Pano",
  description: "Hộp thư chung cho Zalo, Messenger, email, chat và điện thoại",
  lang: "vi",
  start_url: "/inbox",
  scope: "/",
  display: "standalone",
  background_color: "#f4f5f7",
  theme_color: "#1d4ed8",
  icons: [
    { src: "/assets/pano-icon-192.png", sizes: "192x192", type: "image/png" },
    { src: "/assets/pano-icon-512.png", sizes: "512x512", type: "image/png" },
    { src: "/assets/pano-icon.svg", sizes: "any", type: "image/svg+xml" },
  ],
});

export function pwaRoutes(pano: Pano): Hono<any> {
  const app = new Hono();
  app.get("/manifest.webmanifest", (c) => c.body(MANIFEST, 200, { "content-type": "application/manifest+json; charset=utf-8", "cache-control": "no-cache" }));
  app.get("/sw.js", (c) => serveAsset(c, "sw.js"));
  app.route("/notifications", notificationPageRoutes(pano));
  return app;
}
