// Story: another team's canned reply is as hidden by id as it is in the list.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { addAgent, addTeam, type Agent } from "./support/agents.ts";

let pano: PanoProcess;
let lan: Agent;
let secret: string;
let ours: string;
let everyone: string;

const as = (tok: string, path: string) => pano.api(path, { headers: { authorization: `Bearer ${tok}` } });

beforeAll(async () => {
  pano = await startPano();
  const sales = await addTeam(pano, "Bán hàng");
  const vip = await addTeam(pano, "Khách VIP");
  lan = await addAgent(pano, "lan@shop.vn", [sales]);
  const add = async (team_id: string | null, shortcut: string, text: string) =>
    (await pano.json("/api/v1/canned-replies", { method: "POST", json: { team_id, shortcut, text } })).id as string;
  secret = await add(vip, "giamgia", "Mã giảm 50% chỉ cho khách VIP: VIP50");
  ours = await add(sales, "gia", "Giá đã gồm VAT");
  everyone = await add(null, "chao", "Chào anh/chị");
});
afterAll(async () => {
  await pano?.stop();
});

test("an agent cannot read another team's canned reply by id", async () => {
  const list = (await (await as(lan.token, "/api/v1/canned-replies")).json()).data.map((r: any) => r.id);
  expect(list).not.toContain(secret);
  const r = await as(lan.token, `/api/v1/canned-replies/${secret}`);
  expect(r.status).toBe(404);
  const body = await r.text();
  expect(JSON.parse(body).error.code).toBe("not_found");
  expect(body).not.toContain("VIP50");
});

test("what the list shows, the id answers", async () => {
  const list = (await (await as(lan.token, "/api/v1/canned-replies")).json()).data.map((r: any) => r.id);
  expect(list.sort()).toEqual([ours, everyone].sort());
  for (const id of list) expect((await as(lan.token, `/api/v1/canned-replies/${id}`)).status).toBe(200);
  expect((await pano.json(`/api/v1/canned-replies/${secret}`)).text).toContain("VIP50");
});
