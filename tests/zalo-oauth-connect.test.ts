// Story: an admin connects an OA with "Connect with Zalo" instead of pasting tokens. Pano sends
// them to Zalo's OAuth v4 consent page with a PKCE challenge, Zalo sends them back to
// PANO_PUBLIC_URL/zalo/oauth/callback, and the OA's tokens end up stored with the channel.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { startZaloSim, type ZaloSim } from "./sim/zalo.ts";

let sim: ZaloSim;
let pano: PanoProcess;
let channelId: string;

beforeAll(async () => {
  sim = await startZaloSim();
  pano = await startPano({ env: { PANO_ZALO_API_URL: sim.url, PANO_ZALO_OAUTH_URL: sim.url } });
  sim.setPano(pano.url);
  // The admin fills in what the Zalo developer app shows; no tokens yet.
  const { oa_id, app_id, app_secret, oa_secret_key } = sim.channelConfig();
  channelId = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "zalo", name: "Shop Hoa Mai", config: { oa_id, app_id, app_secret, oa_secret_key } } })).id;
});
afterAll(async () => {
  await pano?.stop();
  await sim?.stop();
});

/** The admin's browser: follows Zalo's redirect back to Pano and reads the page it lands on. */
async function consent(authorizeUrl: string, tamper?: (u: URL) => void) {
  const atZalo = await fetch(authorizeUrl, { redirect: "manual" });
  expect(atZalo.status).toBe(302);
  const back = new URL(atZalo.headers.get("location")!);
  tamper?.(back);
  const res = await fetch(back, { redirect: "manual" });
  return { back, status: res.status, html: await res.text() };
}

const start = () => pano.json(`/api/v1/channels/${channelId}/zalo/connect`, { method: "POST" });

test("the consent URL carries the app id, the callback under PANO_PUBLIC_URL, a PKCE challenge and a state", async () => {
  const { authorize_url, callback_url } = await start();
  const u = new URL(authorize_url);
  expect(`${u.origin}${u.pathname}`).toBe(`${sim.url}/v4/oa/permission`);
  expect(u.searchParams.get("app_id")).toBe(sim.appId);
  expect(u.searchParams.get("redirect_uri")).toBe(`${pano.url}/zalo/oauth/callback`);
  expect(callback_url).toBe(`${pano.url}/zalo/oauth/callback`);
  expect(u.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(u.searchParams.get("state")!.length).toBeGreaterThanOrEqual(32);
});

test("consent for another OA is refused and nothing is stored", async () => {
  const { authorize_url } = await start();
  const r = await consent(authorize_url, (u) => u.searchParams.set("oa_id", "1234567890123456789"));
  expect(r.status).toBe(400);
  expect(r.html).toContain("1234567890123456789");
  expect(sim.requests.filter((q) => q.path === "/v4/oa/access_token")).toHaveLength(0);
});

test("after consent the code is exchanged with the PKCE verifier, the tokens are stored, and replies use them", async () => {
  const { authorize_url } = await start();
  const challenge = new URL(authorize_url).searchParams.get("code_challenge")!;
  const r = await consent(authorize_url);
  expect(r.status).toBe(200);
  expect(r.html).toContain("Đã kết nối kênh Shop Hoa Mai với Zalo");

  const exchange = sim.requests.find((q) => q.path === "/v4/oa/access_token")!;
  expect(exchange.headers.secret_key).toBe(sim.appSecret);
  const form = exchange.body as Record<string, string>;
  expect(form).toMatchObject({ app_id: sim.appId, grant_type: "authorization_code", code: r.back.searchParams.get("code")! });
  expect(createHash("sha256").update(form.code_verifier).digest("base64url")).toBe(challenge);
  expect((await pano.json(`/api/v1/channels/${channelId}`)).status).toBe("active");

  // A customer writes; the reply goes out with the token Zalo issued for the code.
  const user = sim.addUser(undefined, { display_name: "Nguyễn Thị Lan" });
  await sim.userSays(user, "Shop ơi, em muốn đặt 2 áo");
  const contact = await eventually(async () => {
    const c = (await pano.json(`/api/v1/contacts?q=${user}`)).data[0];
    return c?.name === "Nguyễn Thị Lan" ? c : null;
  }, 5000, "the contact with their Zalo name");
  const convId = contact.conversation_ids[0];
  const m = await pano.json(`/api/v1/conversations/${convId}/messages`, { method: "POST", json: { text: "Dạ shop nhận đơn ạ" } });
  await eventually(async () => (await pano.json(`/api/v1/conversations/${convId}/messages`)).data.find((x: any) => x.id === m.id)?.status === "sent", 5000, "the reply sent");
  const token = sim.sent.at(-1)!.access_token;
  expect(sim.tokens.check(token)).toBe(0);
  expect(sim.tokens.refreshes).toBe(0);
});

test("a callback link used twice, or one Pano never issued, is refused", async () => {
  const { authorize_url } = await start();
  const first = await consent(authorize_url);
  expect(first.status).toBe(200);
  const replay = await fetch(first.back);
  expect(replay.status).toBe(400);
  expect(await replay.text()).toContain("đã hết hạn hoặc đã được dùng");
  const forged = await fetch(`${pano.url}/zalo/oauth/callback?code=abc&state=not-issued-by-pano&oa_id=${sim.oaId}`);
  expect(forged.status).toBe(400);
});

test("starting from the browser needs an admin's session; the API needs an admin token", async () => {
  const r = await fetch(`${pano.url}/zalo/oauth/start/${channelId}`, { redirect: "manual" });
  expect(r.status).toBe(302);
  expect(r.headers.get("location")).toStartWith("/login");
  const anon = await fetch(`${pano.url}/api/v1/channels/${channelId}/zalo/connect`, { method: "POST" });
  expect(anon.status).toBe(401);
});
