// /assets/*: htmx, its SSE extension and Pano's own JS/CSS/icons. Imported `with { type: "file" }`
// so `bun build --compile` embeds them in the executable; Bun.file() reads them either way.
// @ts-ignore: a plain JS file, imported only for its embedded path
import htmxPath from "../../node_modules/htmx.org/dist/htmx.min.js" with { type: "file" };
// @ts-ignore: as above
import ssePath from "../../node_modules/htmx-ext-sse/dist/sse.min.js" with { type: "file" };
// @ts-ignore: as above
import panoJsPath from "../../public/pano.js" with { type: "file" };
// @ts-ignore: as above
import panoCssPath from "../../public/pano.css" with { type: "file" };
// @ts-ignore: as above
import settingsCssPath from "../../public/settings.css" with { type: "file" };
// @ts-ignore: as above
import callsCssPath from "../../public/calls.css" with { type: "file" };
// @ts-ignore: as above
import collisionJsPath from "../../public/collision.js" with { type: "file" };
// @ts-ignore: as above
import macrosJsPath from "../../public/macros.js" with { type: "file" };
// @ts-ignore: as above
import composerToolsCssPath from "../../public/composer-tools.css" with { type: "file" };
// @ts-ignore: as above
import qaJsPath from "../../public/qa.js" with { type: "file" };
// @ts-ignore: as above
import qaCssPath from "../../public/qa.css" with { type: "file" };
// @ts-ignore: as above
import copilotJsPath from "../../public/copilot.js" with { type: "file" };
// @ts-ignore: as above
import notificationsJsPath from "../../public/notifications.js" with { type: "file" };
// @ts-ignore: as above
import notificationsCssPath from "../../public/notifications.css" with { type: "file" };
// @ts-ignore: as above
import swPath from "../../public/sw.js" with { type: "file" };
// @ts-ignore: as above
import appIconPath from "../../public/pano-icon.svg" with { type: "file" };
// @ts-ignore: as above
import appIcon192Path from "../../public/pano-icon-192.png" with { type: "file" };
// @ts-ignore: as above
import appIcon512Path from "../../public/pano-icon-512.png" with { type: "file" };
// @ts-ignore: as above
import iconsPath from "../../public/icons/icons.svg" with { type: "file" };
import { Hono, type Context } from "hono";
import { withChannelIcons } from "./icon-sprite.ts";

/** `build`: what is served is made from the file (the sprite gains each channel kind's icon). */
const FILES: Record<string, { path: string; type: string; build?: (file: Uint8Array) => Uint8Array<ArrayBuffer> }> = {
  "htmx.min.js": { path: htmxPath, type: "text/javascript; charset=utf-8" },
  "sse.js": { path: ssePath, type: "text/javascript; charset=utf-8" },
  "pano.js": { path: panoJsPath, type: "text/javascript; charset=utf-8" },
  "pano.css": { path: panoCssPath, type: "text/css; charset=utf-8" },
  "settings.css": { path: settingsCssPath, type: "text/css; charset=utf-8" },
  "calls.css": { path: callsCssPath, type: "text/css; charset=utf-8" },
  "collision.js": { path: collisionJsPath, type: "text/javascript; charset=utf-8" },
  "macros.js": { path: macrosJsPath, type: "text/javascript; charset=utf-8" },
  "composer-tools.css": { path: composerToolsCssPath, type: "text/css; charset=utf-8" },
  "qa.js": { path: qaJsPath, type: "text/javascript; charset=utf-8" },
  "qa.css": { path: qaCssPath, type: "text/css; charset=utf-8" },
  "copilot.js": { path: copilotJsPath, type: "text/javascript; charset=utf-8" },
  "notifications.js": { path: notificationsJsPath, type: "text/javascript; charset=utf-8" },
  "notifications.css": { path: notificationsCssPath, type: "text/css; charset=utf-8" },
  // The service worker is served from the root too (src/web/pwa.ts): its scope is its own folder.
  "sw.js": { path: swPath, type: "text/javascript; charset=utf-8" },
  "pano-icon.svg": { path: appIconPath, type: "image/svg+xml" },
  "pano-icon-192.png": { path: appIcon192Path, type: "image/png" },
  "pano-icon-512.png": { path: appIcon512Path, type: "image/png" },
  "icons.svg": { path: iconsPath, type: "image/svg+xml", build: withChannelIcons },
};

interface Loaded { body: Uint8Array<ArrayBuffer>; gzip: Uint8Array<ArrayBuffer>; etag: string; type: string }
const cache = new Map<string, Loaded>();

async function load(name: string): Promise<Loaded | null> {
  const hit = cache.get(name);
  if (hit) return hit;
  const f = FILES[name];
  if (!f) return null;
  const file = new Uint8Array(await Bun.file(f.path).arrayBuffer());
  const body = f.build ? f.build(file) : file;
  const loaded: Loaded = { body, gzip: Bun.gzipSync(body) as Uint8Array<ArrayBuffer>, etag: `"${Bun.hash(body).toString(36)}"`, type: f.type };
  cache.set(name, loaded);
  return loaded;
}

/** The version string pages append (?v=) so a new release busts browser caches. */
export async function assetVersion(): Promise<string> {
  const parts = await Promise.all(Object.keys(FILES).map(load));
  return Bun.hash(parts.map((p) => p?.etag ?? "").join()).toString(36);
}

export function assetRoutes() {
  const app = new Hono();
  app.get("/:name", (c) => serveAsset(c, c.req.param("name")));
  return app;
}

/** One asset: 304 for the same ETag, gzip when asked, cached for a year when the page named its version. */
export async function serveAsset(c: Context, name: string): Promise<Response> {
  const a = await load(name);
  if (!a) return c.notFound();
  if (c.req.header("if-none-match") === a.etag) return c.body(null, 304);
  const gz = (c.req.header("accept-encoding") ?? "").includes("gzip");
  const headers: Record<string, string> = {
    "content-type": a.type, etag: a.etag, vary: "accept-encoding",
    // Pages reference assets with ?v=<hash>, so a year-long cache is safe.
    "cache-control": c.req.query("v") ? "public, max-age=31536000, immutable" : "no-cache",
  };
  if (gz) headers["content-encoding"] = "gzip";
  return new Response(gz ? a.gzip : a.body, { status: 200, headers });
}

export const ASSET_VERSION = await assetVersion();
