// What a provider's server hears back from a webhook: a few bytes of plain text or JSON, never a
// page (so webhooks skip the pages' CSP and framing headers), never sniffable as HTML, and a body
// over the limit refused with Pano's own 413 JSON, whether its length is declared or streamed.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startZaloWorld, type ZaloWorld } from "./sim/zalo-pano.ts";

const LIMIT = 64 * 1024;
let w: ZaloWorld;
beforeAll(async () => void (w = await startZaloWorld({ env: { PANO_MAX_BODY_BYTES: String(LIMIT) } })));
afterAll(async () => await w?.stop());

function expectProviderAnswer(res: Response, body: string) {
  expect(res.headers.get("content-type") ?? "").not.toContain("html");
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(body.length).toBeLessThan(300);
}

test("a signed Zalo delivery is acknowledged with a few bytes of text, not a page", async () => {
  const user = w.sim.addUser(undefined, { display_name: "Lê Thu Hà" });
  const d = await w.sim.userSays(user, "Shop ơi còn hàng không ạ?");
  expect(d.status).toBe(200);
  const res = await fetch(`${w.pano.url}/webhooks/zalo`, { method: "POST", headers: d.headers, body: d.raw });
  const body = await res.text();
  expect(res.status).toBe(200);
  expectProviderAnswer(res, body);
  // The pages and the API keep their CSP: only the provider-facing answers go without it.
  expect((await w.pano.api("/api/v1/channels")).headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
});

test("refusals are small JSON errors a provider's log can show", async () => {
  const forged = await fetch(`${w.pano.url}/webhooks/zalo`, { method: "POST", headers: { "content-type": "application/json", "x-zevent-signature": `mac=${"0".repeat(64)}` }, body: JSON.stringify({ event_name: "user_send_text", app_id: w.config.app_id, recipient: { id: w.config.oa_id }, sender: { id: "1" }, timestamp: "1" }) });
  const forgedBody = await forged.text();
  expect(forged.status).toBe(401);
  expect(JSON.parse(forgedBody).error.code).toBe("bad_signature");
  expectProviderAnswer(forged, forgedBody);
  const unknown = await fetch(`${w.pano.url}/webhooks/nosuchprovider`, { method: "POST", body: "{}" });
  const unknownBody = await unknown.text();
  expect(unknown.status).toBe(404);
  expectProviderAnswer(unknown, unknownBody);
});

test("a body over the limit is refused with Pano's 413 JSON, declared or streamed, and nothing is stored", async () => {
  const before = (await w.pano.json("/api/v1/conversations?limit=100")).data.length;
  const big = JSON.stringify({ event_name: "user_send_text", text: "a".repeat(LIMIT + 10) });
  const declared = await fetch(`${w.pano.url}/webhooks/zalo`, { method: "POST", headers: { "content-type": "application/json" }, body: big });
  expect(declared.status).toBe(413);
  expect((await declared.json()).error.code).toBe("payload_too_large");
  const bytes = new TextEncoder().encode(big);
  const streamed = await fetch(`${w.pano.url}/webhooks/zalo`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: new ReadableStream({
      start(c) {
        for (let at = 0; at < bytes.length; at += 8192) c.enqueue(bytes.subarray(at, at + 8192));
        c.close();
      },
    }),
  });
  expect(streamed.status).toBe(413);
  expect((await streamed.json()).error.code).toBe("payload_too_large");
  expect((await w.pano.json("/api/v1/conversations?limit=100")).data.length).toBe(before);
});
