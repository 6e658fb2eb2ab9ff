// Stories of who may see what: agents see their teams' conversations and their own, nothing else.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, runPano, type PanoProcess } from "./support/pano.ts";

let pano: PanoProcess;
let agentToken: string;
let salesConv: string;
let supportConv: string;
let otherConv: string;

beforeAll(async () => {
  pano = await startPano();
  const sales = await pano.json("/api/v1/teams", { method: "POST", json: { name: "Bán hàng" } });
  const support = await pano.json("/api/v1/teams", { method: "POST", json: { name: "Chăm sóc khách hàng" } });
  const agent = await pano.json("/api/v1/users", { method: "POST", json: { email: "lan@shop.vn", password: "mat-khau-123", name: "Lan", role: "agent", team_ids: [sales.id] } });
  const tok = await runPano(["token", "create", "--name", "lan", "--user", "lan@shop.vn"], { PANO_DATA_DIR: pano.dataDir });
  agentToken = tok.stdout.trim();
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Web" } });
  const open = async (who: string) =>
    (await pano.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: who, external_message_id: `${who}-1`, text: "Chào shop" } })).conversation_id;
  salesConv = await open("a");
  supportConv = await open("b");
  otherConv = await open("c");
  await pano.json(`/api/v1/conversations/${salesConv}`, { method: "PATCH", json: { team_id: sales.id } });
  await pano.json(`/api/v1/conversations/${supportConv}`, { method: "PATCH", json: { team_id: support.id } });
  await pano.json(`/api/v1/conversations/${otherConv}`, { method: "PATCH", json: { team_id: support.id, assignee_id: agent.id } });
});
afterAll(async () => {
  await pano.stop();
});

const asAgent = (path: string, init: RequestInit = {}) => pano.api(path, { ...init, headers: { ...(init.headers as object), authorization: `Bearer ${agentToken}` } });

test("an agent lists only their team's conversations and those assigned to them", async () => {
  const r = await (await asAgent("/api/v1/conversations")).json();
  expect(r.data.map((c: any) => c.id).sort()).toEqual([salesConv, otherConv].sort());
});

test("another team's conversation does not exist for the agent (404, not 403)", async () => {
  for (const path of [`/api/v1/conversations/${supportConv}`, `/api/v1/conversations/${supportConv}/messages`]) {
    const r = await asAgent(path);
    expect(r.status).toBe(404);
    expect((await r.json()).error.code).toBe("not_found");
  }
  const reply = await asAgent(`/api/v1/conversations/${supportConv}/messages`, { method: "POST", body: JSON.stringify({ text: "hi" }), headers: { "content-type": "application/json" } });
  expect(reply.status).toBe(404);
});

test("an admin sees every conversation", async () => {
  const r = await pano.json("/api/v1/conversations");
  expect(r.data.map((c: any) => c.id)).toEqual(expect.arrayContaining([salesConv, supportConv, otherConv]));
});

test("an agent cannot create channels or users", async () => {
  const r = await asAgent("/api/v1/channels", { method: "POST", body: JSON.stringify({ type: "api", name: "x" }), headers: { "content-type": "application/json" } });
  expect(r.status).toBe(403);
  expect((await r.json()).error.code).toBe("forbidden");
});

test("an agent edits and merges only customers they serve; the change is audited under their name", async () => {
  const contactOf = async (conv: string) => (await pano.json(`/api/v1/conversations/${conv}`)).contact_id as string;
  const [mine, other, alsoMine] = [await contactOf(salesConv), await contactOf(supportConv), await contactOf(otherConv)];
  const patch = (id: string) => asAgent(`/api/v1/contacts/${id}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ phone: "0912 345 678" }) });
  expect((await patch(other)).status).toBe(404);
  const ok = await patch(mine);
  expect(ok.status).toBe(200);
  expect((await ok.json()).phone).toBe("0912345678");

  const merge = (id: string, otherId: string) => asAgent(`/api/v1/contacts/${id}/merge`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ other_id: otherId }) });
  expect((await merge(mine, other)).status).toBe(404);
  expect((await merge(other, mine)).status).toBe(404);
  expect((await pano.json(`/api/v1/contacts/${other}`)).id).toBe(other); // untouched
  expect((await merge(mine, alsoMine)).status).toBe(200);

  const audit = (await pano.json("/api/v1/audit?limit=100")).data as any[];
  const lan = (await pano.json("/api/v1/users")).data.find((u: any) => u.email === "lan@shop.vn");
  const byLan = audit.filter((a) => String(a.actor_id ?? a.actor?.id) === String(lan.id)).map((a) => a.action);
  expect(byLan).toEqual(expect.arrayContaining(["contact.updated", "contact.merged"]));
});
