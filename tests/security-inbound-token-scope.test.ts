// Stories of what an API token may do: posting a "customer" message is an integration's right,
// not every agent's. A token does only what its scopes (read, write, admin) and its channel
// list allow, and never more than its user may.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, runPano, type PanoProcess } from "./support/pano.ts";
import { signIn } from "./settings-session.ts";
import { addAgent, addTeam, type Agent } from "./support/agents.ts";

let pano: PanoProcess;
let lan: Agent;
let shop: string;
let other: string;
let victimConv: string;

const token = async (...args: string[]) => {
  const r = await runPano(["token", "create", ...args], { PANO_DATA_DIR: pano.dataDir });
  if (r.code !== 0) throw new Error(`token create failed: ${r.stderr}`);
  return r.stdout.trim();
};
const as = (tok: string, path: string, init: RequestInit & { json?: unknown } = {}) => pano.api(path, { ...init, headers: { authorization: `Bearer ${tok}` } });
const inbound = (tok: string, channel: string, json: Record<string, string>) => as(tok, `/api/v1/channels/${channel}/inbound`, { method: "POST", json });

beforeAll(async () => {
  pano = await startPano();
  const teamA = await addTeam(pano, "Bán hàng");
  const teamB = await addTeam(pano, "Bảo hành");
  lan = await addAgent(pano, "lan@shop.vn", [teamA]);
  shop = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Web shop" } })).id;
  other = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "App" } })).id;
  victimConv = (await pano.json(`/api/v1/channels/${shop}/inbound`, { method: "POST", json: { external_contact_id: "khach-b", contact_name: "Chị Hoa", external_message_id: "hoa-1", text: "Máy hỏng rồi" } })).conversation_id;
  await pano.json(`/api/v1/conversations/${victimConv}`, { method: "PATCH", json: { team_id: teamB } });
});
afterAll(async () => {
  await pano?.stop();
});

test("an agent of another team cannot post as that team's customer nor attach an email to her profile", async () => {
  expect((await as(lan.token, `/api/v1/conversations/${victimConv}`)).status).toBe(404);
  const r = await inbound(lan.token, shop, { external_contact_id: "khach-b", external_message_id: "fake-1", text: "Hủy đơn giúp tôi", email: "attacker@evil.vn" });
  expect(r.status).toBe(403);
  expect((await r.json()).error.code).toBe("forbidden");
  const messages = (await pano.json(`/api/v1/conversations/${victimConv}/messages`)).data as any[];
  expect(messages.map((m) => m.text)).toEqual(["Máy hỏng rồi"]);
  const contact = await pano.json(`/api/v1/contacts/${(await pano.json(`/api/v1/conversations/${victimConv}`)).contact_id}`);
  expect(contact.email).toBeNull();
});

test("a token limited to one channel with write scope posts inbound there and nowhere else", async () => {
  const integration = await token("--name", "web shop", "--scopes", "write", "--channel", shop);
  const ok = await inbound(integration, shop, { external_contact_id: "khach-c", external_message_id: "c-1", text: "Còn hàng không?" });
  expect(ok.status).toBe(202);
  const elsewhere = await inbound(integration, other, { external_contact_id: "khach-c", external_message_id: "c-2", text: "Còn hàng không?" });
  expect(elsewhere.status).toBe(403);
  expect((await elsewhere.json()).error.code).toBe("forbidden");
  // write only: reading is another scope; the channel list keeps it off the rest of the API.
  expect((await as(integration, "/api/v1/conversations")).status).toBe(403);
  expect((await as(integration, "/api/v1/users", { method: "POST", json: { email: "x@shop.vn", password: "mat-khau-dai-du-8" } })).status).toBe(403);
});

test("scopes follow the method: read answers GETs only, and admin-only routes need the admin scope", async () => {
  const reader = await token("--name", "báo cáo", "--scopes", "read");
  expect((await as(reader, "/api/v1/conversations")).status).toBe(200);
  const patch = await as(reader, `/api/v1/conversations/${victimConv}`, { method: "PATCH", json: { priority: "high" } });
  expect(patch.status).toBe(403);
  expect((await patch.json()).error.code).toBe("forbidden");

  const writer = await token("--name", "crm", "--scopes", "read,write");
  expect((await as(writer, `/api/v1/conversations/${victimConv}`, { method: "PATCH", json: { priority: "high" } })).status).toBe(200);
  expect((await as(writer, "/api/v1/channels", { method: "POST", json: { type: "api", name: "x" } })).status).toBe(403);
  // An unlimited token posts inbound only with the admin scope (and an admin behind it).
  expect((await inbound(writer, shop, { external_contact_id: "khach-d", external_message_id: "d-1", text: "Alo" })).status).toBe(403);
  expect((await inbound(pano.token, shop, { external_contact_id: "khach-d", external_message_id: "d-1", text: "Alo" })).status).toBe(202);
});

test("the admin scope never lifts an agent above her role", async () => {
  const t = await token("--name", "lan admin", "--user", "lan@shop.vn", "--scopes", "read,write,admin");
  expect((await as(t, "/api/v1/channels", { method: "POST", json: { type: "api", name: "x" } })).status).toBe(403);
  expect((await inbound(t, shop, { external_contact_id: "khach-e", external_message_id: "e-1", text: "Alo" })).status).toBe(403);
});

test("token create refuses an unknown scope or channel", async () => {
  const bad = await runPano(["token", "create", "--name", "x", "--scopes", "read,root"], { PANO_DATA_DIR: pano.dataDir });
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain("root");
  const noChannel = await runPano(["token", "create", "--name", "x", "--channel", "999"], { PANO_DATA_DIR: pano.dataDir });
  expect(noChannel.code).not.toBe(0);
});

test("an admin chooses scopes and channels on the tokens page; the token shows and obeys them", async () => {
  const admin = await signIn(pano, "admin@pano.test", "mat-khau-an-toan-123");
  const page = await admin.get("/settings/tokens");
  expect(page.html).toContain('name="scopes"');
  expect(page.html).toContain('name="channel_ids"');
  const created = await admin.post("/settings/tokens", { name: "Máy bán hàng", user_id: "1", scopes: ["write"], channel_ids: [other] });
  expect(created.status).toBe(201);
  const secret = /data-secret="token">([^<]+)</.exec(created.html)![1];
  expect((await inbound(secret, other, { external_contact_id: "khach-f", external_message_id: "f-1", text: "Alo" })).status).toBe(202);
  expect((await inbound(secret, shop, { external_contact_id: "khach-f", external_message_id: "f-2", text: "Alo" })).status).toBe(403);
  // The form sends an empty "scopes" beside its boxes: every box cleared is a mistake, not full rights.
  const none = await admin.post("/settings/tokens", { name: "Không quyền", user_id: "1", scopes: [""] });
  expect(none.status).toBe(422);
});
