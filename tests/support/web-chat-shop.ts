// A shop's own website for the website-chat stories: a second local server (another origin than
// Pano) serving a plain page with the one-line snippet, and the web_chat channel that allows it.
import type { Frame, Page } from "playwright-core";
import type { PanoProcess } from "./pano.ts";

export interface Shop {
  url: string;
  channel: { id: string; widget_token: string };
  stop(): void;
}

export async function startShop(pano: PanoProcess): Promise<Shop> {
  let token = "";
  const server = Bun.serve({
    port: 0, hostname: "127.0.0.1",
    fetch: () => new Response(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Shop Hoa</title></head>
<body><h1>Shop Hoa</h1><p>Hoa tươi mỗi ngày.</p><script src="${pano.url}/widget.js" data-pano-token="${token}" async></script></body></html>`, { headers: { "content-type": "text/html; charset=utf-8" } }),
  });
  const url = `http://localhost:${server.port}`;
  const channel = await pano.json("/api/v1/channels", { method: "POST", json: { type: "web_chat", name: "Website", config: { allowed_origins: [url] } } });
  token = channel.widget_token;
  return { url, channel, stop: () => server.stop(true) };
}

/** The chat's frame once the page shows it (after the launcher was opened). */
export async function chatFrame(page: Page): Promise<Frame> {
  const el = page.locator('iframe[title="Pano chat"]');
  await el.waitFor();
  const frame = (await (await el.elementHandle())!.contentFrame())!;
  await frame.locator("#text").waitFor();
  return frame;
}
