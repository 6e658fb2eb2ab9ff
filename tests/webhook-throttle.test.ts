// Someone floods the Facebook webhook with forged deliveries during a sale. Pano refuses each
// one, then tells that address to back off; the Page's real, signed deliveries keep flowing.
import { afterAll, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";

const APP_SECRET = "fb-app-secret-throttle";
const PAGE_ID = "104857600000001";
let pano: PanoProcess | undefined;
afterAll(async () => void (await pano?.stop()));

const delivery = (mid: string) =>
  JSON.stringify({
    object: "page",
    entry: [{ id: PAGE_ID, time: Date.now(), messaging: [{ sender: { id: "psid-77" }, recipient: { id: PAGE_ID }, timestamp: Date.now(), message: { mid, text: "Shop ơi còn hàng không ạ" } }] }],
  });
const sign = (body: string, secret = APP_SECRET) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

test("forged deliveries are refused, then throttled with 429; signed ones from the same address still get in", async () => {
  pano = await startPano({ env: { PANO_FACEBOOK_GRAPH_URL: "http://127.0.0.1:9" } });
  const ch = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "facebook", name: "Fanpage", config: { page_id: PAGE_ID, page_access_token: "EAAB-page-token-123", app_secret: APP_SECRET, verify_token: "verify-me-please" } },
  });
  const post = (body: string, signature: string) =>
    fetch(`${pano!.url}/webhooks/facebook`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signature }, body });

  const statuses: number[] = [];
  for (let i = 0; i < 35; i++) statuses.push((await post(delivery(`m.forged-${i}`), sign(delivery(`m.forged-${i}`), "wrong-secret"))).status);
  expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
  expect(statuses.slice(30).every((s) => s === 429)).toBe(true);
  const throttled = await post(delivery("m.forged-x"), "sha256=00");
  expect(throttled.status).toBe(429);
  expect(throttled.headers.get("retry-after")).toBe("60");
  expect((await throttled.json()).error.code).toBe("rate_limited");

  const real = delivery("m.real-1");
  expect((await post(real, sign(real))).status).toBe(200);
  const conversations = await eventually(async () => {
    const list = await pano!.json(`/api/v1/conversations?channel_id=${ch.id}`);
    return list.data.length ? list.data : null;
  });
  expect(conversations).toHaveLength(1);
  const messages = await pano.json(`/api/v1/conversations/${conversations[0].id}/messages`);
  expect(messages.data.map((m: { external_id: string }) => m.external_id)).toEqual(["m.real-1"]);

  const metrics = await (await fetch(`${pano.url}/metrics`)).text();
  expect(metrics).toMatch(/pano_webhook_rejected_total\{[^}]*reason="rate_limited"[^}]*\} [1-9]/);
});
