// What lets agents add Pano to a phone's home screen and get pushes with every tab closed: the
// web app manifest, the service worker (served from the root so its scope is the whole site), the
// app icons, and the page's notification script and styles; then /notifications and its
// session-bound routes. Files are embedded in the executable like /assets; no-cache with an ETag,
// so a new release's worker and script are picked up on the next visit at the cost of a 304.
import { Hono } from "hono";
import type { Pano } from "../pano.ts";
// @ts-ignore: a plain JS file, imported only for its embedded path
import swPath from "../../public/sw.js" with { type: "file" };
// @ts-ignore: as above
import scriptPath from "../../public/notifications.js" with { type: "file" };
// @ts-ignore: as above
import stylePath from "../../public/notifications.css" with { type: "file" };
// @ts-ignore: as above
import iconPath from "../../public/pano-icon.svg" with { type: "file" };
// @ts-ignore: as above
import icon192Path from "../../public/pano-icon-192.png" with { type: "file" };
// @ts-ignore: as above
import icon512Path from "../../public/pano-icon-512.png" with { type: "file" };
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
    { src: "/pano-icon-192.png", sizes: "192x192", type: "image/png" },
    { src: "/pano-icon-512.png", sizes: "512x512", type: "image/png" },
    { src: "/pano-icon.svg", sizes: "any", type: "image/svg+xml" },
  ],
});

const FILES: Record<string, { path: string; type: string }> = {
  "/sw.js": { path: swPath, type: "text/javascript; charset=utf-8" },
  "/notifications.js": { path: scriptPath, type: "text/javascript; charset=utf-8" },
  "/notifications.css": { path: stylePath, type: "text/css; charset=utf-8" },
  "/pano-icon.svg": { path: iconPath, type: "image/svg+xml" },
  "/pano-icon-192.png": { path: icon192Path, type: "image/png" },
  "/pano-icon-512.png": { path: icon512Path, type: "image/png" },
};

export function pwaRoutes(pano: Pano): Hono<any> {
  const app = new Hono();
  const loaded = new Map<string, { body: Uint8Array<ArrayBuffer>; etag: string }>();
  app.get("/manifest.webmanifest", (c) => c.body(MANIFEST, 200, { "content-type": "application/manifest+json; charset=utf-8", "cache-control": "no-cache" }));
  for (const [path, f] of Object.entries(FILES)) {
    app.get(path, async (c) => {
      let file = loaded.get(path);
      if (!file) {
        const body = new Uint8Array(await Bun.file(f.path).arrayBuffer());
        loaded.set(path, (file = { body, etag: `"${Bun.hash(body).toString(36)}"` }));
      }
      const headers = { "content-type": f.type, "cache-control": "no-cache", etag: file.etag };
      return c.req.header("if-none-match") === file.etag ? c.body(null, 304, headers) : c.body(file.body, 200, headers);
    });
  }
  app.route("/notifications", notificationPageRoutes(pano));
  return app;
}
