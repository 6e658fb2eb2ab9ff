// Pano sits behind the shop's reverse proxy (PANO_TRUST_PROXY). A password guesser writes a new
// made-up address at the front of X-Forwarded-For on every try; the proxy appends the address it
// really saw. Pano counts the guesser by that one, so the 21st guess is refused, and the same
// holds for forged webhook deliveries. Behind a CDN the operator lists its ranges and each shopper
// still counts apart. A flood of other addresses does not make Pano forget a guesser it blocked.
import { afterAll, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { startPano, ADMIN, type PanoProcess } from "./support/pano.ts";
import { RateLimiter } from "../src/web/auth.ts";

const started: PanoProcess[] = [];
afterAll(async () => void (await Promise.all(started.map((p) => p.stop()))));
const start = async (trust: string) => {
  const p = await startPano({ env: { PANO_TRUST_PROXY: trust, PANO_FACEBOOK_GRAPH_URL: "http://127.0.0.1:9" } });
  started.push(p);
  return p;
};

const login = (pano: PanoProcess, password: string, forwardedFor: string) =>
  fetch(`${pano.url}/login`, {
    method: "POST", redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": forwardedFor },
    body: new URLSearchParams({ email: ADMIN.email, password }),
  });

/** What a guesser sends on try i: a fresh address of its choosing, then the proxy's true hop(s). */
const spoofed = (i: number, ...realHops: string[]) => [`203.0.113.${i}`, ...realHops].join(", ");

test("behind the proxy, a guesser rotating the front of X-Forwarded-For is still cut off after 20 failures", async () => {
  const pano = await start("1");
  const statuses: number[] = [];
  for (let i = 0; i < 22; i++) statuses.push((await login(pano, `doan-mo-${i}`, spoofed(i, "192.0.2.66"))).status);
  expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
  expect(statuses.slice(20)).toEqual([429, 429]);
  // The shop's own agent, seen by the proxy at another address, signs in.
  expect((await login(pano, ADMIN.password, "192.0.2.67")).status).toBe(303);

  // Forged Facebook deliveries: the webhook throttle reads the same address.
  await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "facebook", name: "Fanpage", config: { page_id: "104857600000077", page_access_token: "EAAB-page-token-77", app_secret: "fb-app-secret-77", verify_token: "verify-me-77" } },
  });
  const body = JSON.stringify({ object: "page", entry: [{ id: "104857600000077", time: Date.now(), messaging: [] }] });
  const forged = (i: number) =>
    fetch(`${pano.url}/webhooks/facebook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": spoofed(i, "192.0.2.99"), "x-hub-signature-256": `sha256=${createHmac("sha256", "wrong").update(body).digest("hex")}` },
      body,
    });
  const hooks: number[] = [];
  for (let i = 0; i < 32; i++) hooks.push((await forged(i)).status);
  expect(hooks.slice(0, 30).every((s) => s === 401)).toBe(true);
  expect(hooks.slice(30)).toEqual([429, 429]);
});

test("behind a CDN whose range the operator lists, each shopper is counted apart and a guesser is still cut off", async () => {
  const pano = await start("198.51.100.0/24");
  const edge = "198.51.100.7";
  const statuses: number[] = [];
  for (let i = 0; i < 21; i++) statuses.push((await login(pano, `doan-mo-${i}`, spoofed(i, "192.0.2.10", edge))).status);
  expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
  expect(statuses[20]).toBe(429);
  // Another person through the very same CDN edge and local proxy is not the guesser.
  expect((await login(pano, ADMIN.password, `192.0.2.11, ${edge}`)).status).toBe(303);
});

test("a flood of 10,000 new addresses does not make the limiter forget a guesser who keeps trying", () => {
  const limiter = new RateLimiter(20, 10 * 60_000);
  const now = Date.now();
  for (let i = 0; i < 20; i++) expect(limiter.allow("192.0.2.66", now)).toBe(true);
  const guesserLetIn: number[] = [];
  for (let i = 0; i < 12_000; i++) {
    limiter.allow(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, now);
    if (i % 500 === 0 && limiter.allow("192.0.2.66", now)) guesserLetIn.push(i);
  }
  expect(guesserLetIn).toEqual([]);
  expect(limiter.exhausted("192.0.2.66", now)).toBe(true);
});
