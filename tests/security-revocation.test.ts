// Stories of revocation taking effect at once: signing out, a password change and disabling a
// person end their live streams (so routing stops counting them online) and their credentials
// on the very next request, with no cache granting a few more seconds.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { signIn } from "./settings-session.ts";
import { addAgent, addTeam, type Agent } from "./support/agents.ts";

const PASSWORD = "mat-khau-dai-du-8";
let pano: PanoProcess;
let lan: Agent;
let mai: Agent;

beforeAll(async () => {
  pano = await startPano();
  const team = await addTeam(pano, "Bán hàng");
  lan = await addAgent(pano, "lan@shop.vn", [team]);
  mai = await addAgent(pano, "mai@shop.vn", [team]);
});
afterAll(async () => {
  await pano?.stop();
});

/** An open SSE stream: `ended` resolves when Pano closes it (after its first event arrived). */
async function openStream(path: string, headers: Record<string, string>) {
  const r = await fetch(pano.url + path, { headers });
  expect(r.status).toBe(200);
  const reader = r.body!.getReader();
  expect((await reader.read()).done).toBe(false); // the first event: Pano counts the connection
  const ended = (async () => {
    while (!(await reader.read()).done);
    return true;
  })();
  return {
    /** Waits for the server to end the stream; a stream still open after `ms` fails the story. */
    ended: (ms = 5000) => Promise.race([ended, Bun.sleep(ms).then(() => { throw new Error(`${path} still open ${ms} ms after revocation`); })]),
    cancel: () => reader.cancel().catch(() => {}),
  };
}

const connected = async (userId: string) => (await pano.json(`/api/v1/users/${userId}/status`, { method: "PUT", json: {} })).connected as boolean;

test("signing out ends the inbox's live stream and the agent is offline for assignment", async () => {
  const s = await signIn(pano, lan.email, PASSWORD);
  const live = await openStream("/live", { cookie: s.cookie });
  expect(await connected(lan.id)).toBe(true);
  expect((await s.post("/logout", {})).status).toBe(303);
  expect(await live.ended()).toBe(true);
  await eventually(async () => (await connected(lan.id)) === false, 2000, "Lan offline");
});

test("changing the password ends the other sessions' live streams", async () => {
  const laptop = await signIn(pano, lan.email, PASSWORD);
  const phone = await signIn(pano, lan.email, PASSWORD);
  const live = await openStream("/live", { cookie: laptop.cookie });
  const r = await phone.post("/account/password", { current: PASSWORD, password: "mat-khau-moi-rat-dai", confirm: "mat-khau-moi-rat-dai" });
  expect(r.status).toBe(200);
  expect(await live.ended()).toBe(true);
  expect((await laptop.get("/inbox")).status).toBe(302);
});

test("disabling a person answers 401 to her token's very next request and ends her streams", async () => {
  const auth = { authorization: `Bearer ${mai.token}` };
  expect((await fetch(`${pano.url}/api/v1/conversations`, { headers: auth })).status).toBe(200); // now in any cache
  const stream = await openStream("/api/v1/presence/stream", auth);
  const admin = await signIn(pano, "admin@pano.test", "mat-khau-an-toan-123");
  expect((await admin.post(`/settings/users/${mai.id}/disable`, {})).status).toBe(303);
  const next = await fetch(`${pano.url}/api/v1/conversations`, { headers: auth });
  expect(next.status).toBe(401);
  expect((await next.json()).error.code).toBe("unauthorized");
  expect(await stream.ended()).toBe(true);
});

test("revoking a token on the settings page ends the stream it opened", async () => {
  const team = await addTeam(pano, "Kho");
  const kho = await addAgent(pano, "kho@shop.vn", [team]);
  const stream = await openStream("/api/v1/presence/stream", { authorization: `Bearer ${kho.token}` });
  const admin = await signIn(pano, "admin@pano.test", "mat-khau-an-toan-123");
  const page = await admin.get("/settings/tokens");
  const id = new RegExp(`data-token-id="(\\d+)">\\s*<td>${kho.email}<`).exec(page.html)![1];
  expect((await admin.post(`/settings/tokens/${id}/revoke`, {})).status).toBe(303);
  expect((await fetch(`${pano.url}/api/v1/conversations`, { headers: { authorization: `Bearer ${kho.token}` } })).status).toBe(401);
  expect(await stream.ended()).toBe(true);
  await eventually(async () => (await connected(kho.id)) === false, 2000, "kho offline");
});
