// The widget's own static files, embedded by `bun build --compile` like /assets (web/assets.ts).
// @ts-ignore: a plain JS file, imported only for its embedded path
import widgetPath from "./widget.js" with { type: "file" };
// @ts-ignore: as above
import framePath from "./frame.js" with { type: "file" };
// @ts-ignore: as above
import frameCssPath from "./frame.css" with { type: "file" };

const FILES = {
  "widget.js": { path: widgetPath as string, type: "text/javascript; charset=utf-8" },
  "frame.js": { path: framePath as string, type: "text/javascript; charset=utf-8" },
  "frame.css": { path: frameCssPath as string, type: "text/css; charset=utf-8" },
};
export type StaticName = keyof typeof FILES;

interface Loaded { body: Uint8Array<ArrayBuffer>; gzip: Uint8Array<ArrayBuffer>; etag: string; type: string }
const cache = new Map<StaticName, Loaded>();

export async function staticFile(name: StaticName): Promise<Loaded> {
  const hit = cache.get(name);
  if (hit) return hit;
  const body = new Uint8Array(await Bun.file(FILES[name].path).arrayBuffer());
  const loaded: Loaded = { body, gzip: Bun.gzipSync(body) as Uint8Array<ArrayBuffer>, etag: `"${Bun.hash(body).toString(36)}"`, type: FILES[name].type };
  cache.set(name, loaded);
  return loaded;
}

/** A static file answer: gzip when the browser takes it, revalidated by ETag. */
export async function serveStatic(req: Request, name: StaticName, extra: Record<string, string>): Promise<Response> {
  const f = await staticFile(name);
  const headers: Record<string, string> = { "content-type": f.type, etag: f.etag, "cache-control": "public, max-age=300", vary: "accept-encoding", ...extra };
  if (req.headers.get("if-none-match") === f.etag) return new Response(null, { status: 304, headers });
  if (/\bgzip\b/.test(req.headers.get("accept-encoding") ?? "")) return new Response(f.gzip, { headers: { ...headers, "content-encoding": "gzip" } });
  return new Response(f.body, { headers });
}
