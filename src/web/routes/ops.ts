// /healthz, /metrics and /files: what operators, monitors and providers fetch.
import { Hono } from "hono";
import type { Pano } from "../../pano.ts";
import { localFile } from "../../store/files.ts";
import { storedFileByPath } from "../../store/messages.ts";
import { checkDatabase } from "../../store/health.ts";

// Whatever a file is, opened on its own it runs no script, posts no form and has an opaque origin.
const FILE_POLICY = "sandbox; default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'";

export function opsRoutes(pano: Pano) {
  const app = new Hono();

  app.get("/healthz", (c) => {
    try {
      checkDatabase(pano.store.sqlite);
      return c.json({ status: "ok" });
    } catch (err) {
      return c.json({ status: "unavailable", error: String((err as Error).message) }, 503);
    }
  });

  app.get("/metrics", (c) => c.text(pano.metrics.render(), 200, { "content-type": "text/plain; version=0.0.4" }));

  // Content-addressed (sha256) names are unguessable, so providers (Facebook, Zalo) can fetch
  // a reply's attachment by URL without a session.
  app.get("/files/:hash", async (c) => {
    const hash = c.req.param("hash");
    if (!/^[a-f0-9]{64}$/.test(hash)) return c.notFound();
    const row = storedFileByPath(pano.store.sqlite, `attachments/${hash.slice(0, 2)}/${hash}`);
    if (!row) return c.notFound();
    // Stored through another instance: fetched from the shared files (S3) into this data dir first.
    const path = await localFile(pano.config.dataDir, `attachments/${hash.slice(0, 2)}/${hash}`);
    if (!path) return c.notFound();
    const file = Bun.file(path);
    // Never let a customer's file render as a page on Pano's origin: only photos, sound and video
    // show inline (SVG and PDF are documents that can carry script), the rest is a download.
    const inline = /^(image\/(png|jpeg|gif|webp)|video\/(mp4|webm)|audio\/(mpeg|ogg|mp4|aac))$/.test(row.content_type);
    return new Response(file, {
      headers: {
        "content-type": inline ? row.content_type : "application/octet-stream",
        "content-disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(row.name)}`,
        "x-content-type-options": "nosniff",
        "content-security-policy": FILE_POLICY,
        "cache-control": "private, max-age=31536000, immutable",
      },
    });
  });

  return app;
}
