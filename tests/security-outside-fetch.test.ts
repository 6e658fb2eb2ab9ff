// An attacker who can put a URL in front of Pano (a signed Messenger or Zalo delivery names the
// attachment's URL) tries to make Pano read its own disk, its own network, or its own memory dry.
// Pano fetches such URLs only over http(s), only from public addresses (unless
// PANO_ALLOW_PRIVATE_FETCH=1, which the simulators need and production leaves off), follows few
// redirects and checks each, and stops reading a body at the attachment limit.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eventually, tempDir, type PanoProcess } from "./support/pano.ts";
import { startFacebookStory, psidOf, type FacebookStory } from "./sim/facebook-pano.ts";
import { startZaloWorld } from "./sim/zalo-pano.ts";
import { attachments } from "./sim/zalo-events.ts";
import { createOutsideFetch, OutsideFetchError } from "../src/net/outside-fetch.ts";

/** A local server that counts who came: the "internal service" an attacker points Pano at. */
function internalService(answer: (req: Request) => Response = () => new Response("internal-only")) {
  const hits: string[] = [];
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (req) => (hits.push(new URL(req.url).pathname), answer(req)) });
  return { url: `http://127.0.0.1:${server.port}`, hits, stop: () => server.stop(true) };
}

/** Pano's log lines saying an attachment was left unfetched, with the reason. */
const refusals = (pano: PanoProcess) =>
  pano.logs().split("\n").filter((l) => l.includes('"attachment not fetched"')).map((l) => JSON.parse(l) as { reason: string; detail: string });

const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

let fb: FacebookStory;
const internal = internalService();
beforeAll(async () => {
  fb = await startFacebookStory({ env: { PANO_ALLOW_PRIVATE_FETCH: "0" } });
});
afterAll(async () => {
  await fb.stop();
  internal.stop();
});

test("a signed Messenger delivery naming file:///…/secret.key gets nothing read, stored or served", async () => {
  const secret = `-----BEGIN PRIVATE KEY-----\n${crypto.randomUUID()}\n-----END PRIVATE KEY-----\n`;
  const path = join(tempDir("pano-secret-"), "secret.key");
  writeFileSync(path, secret);
  const { delivery } = await fb.sim.customerSays(psidOf(1), null, { attachments: [{ type: "file", url: `file://${path}` }] });
  expect(delivery.status).toBe(200);

  // The attachment is kept, with nothing to fetch: no URL is shown and none will ever be read.
  const conv = (await fb.conversationOf(psidOf(1))).conversationId;
  const [msg] = await fb.messages(conv);
  expect(msg.attachments).toHaveLength(1);
  expect(msg.attachments[0].url).toBeNull();
  // Content-addressed storage: had Pano read the key, it would be at /files/<its sha256>, no login needed.
  expect(existsSync(join(fb.pano.dataDir, "attachments", sha256(secret).slice(0, 2), sha256(secret)))).toBe(false);
  expect((await fetch(`${fb.pano.url}/files/${sha256(secret)}`)).status).toBe(404);
});

test("the outside fetcher itself reads nothing but http(s)", async () => {
  const fetchOutside = createOutsideFetch({ allowPrivate: true, maxBytes: 1024 });
  for (const url of ["file:///etc/passwd", "data:text/plain,xin-chao", "gopher://127.0.0.1:6379/_INFO", "ftp://127.0.0.1/"]) {
    const err = await fetchOutside(url).then(() => null, (e) => e);
    expect({ url, reason: (err as OutsideFetchError)?.reason }).toEqual({ url, reason: "scheme" });
  }
});

test("an attachment on 127.0.0.1 is not fetched while PANO_ALLOW_PRIVATE_FETCH is off", async () => {
  const before = refusals(fb.pano).length;
  await fb.sim.customerSays(psidOf(2), "ảnh nè", { attachments: [{ type: "image", url: `${internal.url}/admin/backup.jpg` }] });
  const outcome = await eventually(() => refusals(fb.pano).slice(before).find((r) => r.reason === "address") ?? (internal.hits.length > 0 && { detail: "fetched" }), 10_000, "Pano to deal with the loopback URL");
  expect(outcome.detail).toContain("127.0.0.1");
  expect(internal.hits).toEqual([]);
});

test("a Zalo attachment on a private or metadata address is refused, the service never hears of it", async () => {
  const w = await startZaloWorld({ env: { PANO_ALLOW_PRIVATE_FETCH: "0" } });
  try {
    const user = w.sim.addUser();
    const d = await w.sim.userSends("image", user, { attachments: [attachments.image(`${internal.url}/zalo.jpg`), attachments.image("http://169.254.169.254/latest/meta-data/iam/")] });
    expect(d.status).toBe(200);
    const refused = await eventually(() => {
      const r = refusals(w.pano).filter((x) => x.reason === "address");
      return r.length === 2 || internal.hits.length > 0 ? r : null;
    }, 10_000, "Pano to deal with both attachments");
    expect(refused.map((r) => r.detail).sort()).toEqual(["127.0.0.1 is a private or local address", "169.254.169.254 is a private or local address"]);
    expect(internal.hits).toEqual([]);
  } finally {
    await w.stop();
  }
});

test("a public attachment URL that redirects to a private address is refused at the redirect", async () => {
  // The outside world in miniature: one public name whose address a test network routes to a
  // local server (the connection really happens); that server redirects to an internal service.
  const metadata = internalService();
  const shop = internalService(() => new Response(null, { status: 302, headers: { location: `${metadata.url}/latest/meta-data/` } }));
  const PUBLIC_IP = "93.184.215.14";
  const routed: typeof fetch = ((input: string | URL | Request, init?: RequestInit) => {
    const u = new URL(String(input));
    if (u.hostname === PUBLIC_IP) u.host = new URL(shop.url).host;
    return fetch(u, init);
  }) as typeof fetch;
  const fetchOutside = createOutsideFetch({ allowPrivate: false, maxBytes: 1024, http: routed, resolve: async (name) => (name === "cdn.shop.example" ? [PUBLIC_IP] : []) });
  try {
    const err = await fetchOutside("http://cdn.shop.example/anh.jpg").then(() => null, (e) => e);
    expect(err).toBeInstanceOf(OutsideFetchError);
    expect((err as OutsideFetchError).reason).toBe("address");
    expect(shop.hits).toEqual(["/anh.jpg"]);
    expect(metadata.hits).toEqual([]);
  } finally {
    shop.stop();
    metadata.stop();
  }
});

test("a provider's key (a Stringee recording's X-STRINGEE-AUTH) goes to its own address only, never on to where a redirect points", async () => {
  const seen: { host: string; auth: string | null }[] = [];
  const cdn = internalService((req) => (seen.push({ host: "cdn", auth: req.headers.get("x-stringee-auth") }), new Response("mp3")));
  const api = internalService((req) => (seen.push({ host: "api", auth: req.headers.get("x-stringee-auth") }), new Response(null, { status: 302, headers: { location: `${cdn.url}/rec.mp3` } })));
  const fetchOutside = createOutsideFetch({ allowPrivate: true, maxBytes: 1024 });
  try {
    const res = await fetchOutside(`${api.url}/v1/call/play/call-1`, { credentials: { "x-stringee-auth": "jwt" } });
    expect(new TextDecoder().decode(res.body)).toBe("mp3");
    expect(seen).toEqual([{ host: "api", auth: "jwt" }, { host: "cdn", auth: null }]);
  } finally {
    api.stop();
    cdn.stop();
  }
});

test("an endless attachment without Content-Length is cut at the limit and Pano's memory stays small", async () => {
  const LIMIT = 1024 * 1024;
  const chunk = new Uint8Array(64 * 1024).fill(7);
  let sent = 0;
  let cancelled = false;
  const endless = internalService(() => new Response(new ReadableStream({
    pull(c) {
      sent += chunk.byteLength;
      c.enqueue(chunk);
    },
    cancel() {
      cancelled = true;
    },
  }), { headers: { "content-type": "video/mp4" } }));
  const s = await startFacebookStory({ env: { PANO_MAX_ATTACHMENT_BYTES: String(LIMIT) } });
  try {
    await s.sim.customerSays(psidOf(3), null, { attachments: [{ type: "video", url: `${endless.url}/livestream.mp4` }] });
    const refused = await eventually(() => refusals(s.pano).find((r) => r.reason === "too_large") ?? (sent > 64 * LIMIT && { detail: "kept reading" }), 15_000, "the endless body to be cut");
    expect(refused.detail).toContain(String(LIMIT));
    await eventually(() => cancelled, 5000, "the stream to be closed by Pano");
    expect(sent).toBeLessThan(32 * 1024 * 1024);
    const peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${s.pano.proc.pid}/status`, "utf8"))?.[1]);
    expect(peakKb).toBeLessThan(300 * 1024);
  } finally {
    await s.stop();
    endless.stop();
  }
}, 60_000);
