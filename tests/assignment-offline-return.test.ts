// An agent who goes offline for longer than the team allows (a team setting, in minutes) gives
// back the conversations still waiting for an answer: they return to the team queue and go to an
// agent who is online. What the agent already answered stays theirs. This story waits a real
// minute, the smallest setting.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { addAgent, addTeam, customerSays, type Agent } from "./support/agents.ts";

let pano: PanoProcess;
let channelId: string;
let team: string;
let hoa: Agent;
let nam: Agent;

const TEXT = "[ve-hang-doi] shop ơi đơn của mình giao tới đâu rồi ạ";

beforeAll(async () => {
  pano = await startPano({ env: { PANO_ASSIGN_SWEEP_MS: "1000" } });
  channelId = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Zalo OA" } })).id;
  team = (await pano.json("/api/v1/teams", { method: "POST", json: { name: "Giao hàng", assignment: "round_robin", offline_return_minutes: 1 } })).id;
  await pano.json("/api/v1/routing-rules", { method: "POST", json: { name: "Về hàng đợi", conditions: { keywords: ["[ve-hang-doi]"] }, actions: { team_id: team } } });
  hoa = await addAgent(pano, "hoa@shop.vn", [team], 10);
  nam = await addAgent(pano, "nam@shop.vn", [team], 10);
});
afterAll(async () => {
  hoa.goOffline();
  nam.goOffline();
  await pano.stop();
});

const conv = (id: string) => pano.json(`/api/v1/conversations/${id}`);
const assignedTo = (id: string, agent: Agent, why: string) =>
  eventually(async () => ((await conv(id)).assignee_id === agent.id ? true : null), 10_000, why);

test("after the team's minutes offline, an agent's waiting conversations go back to the queue and on to someone online", async () => {
  expect((await pano.json("/api/v1/teams")).data.find((t: { id: string }) => t.id === team).offline_return_minutes).toBe(1);
  await hoa.goOnline();
  const waiting = [await customerSays(pano, channelId, "kh-cho-1", TEXT), await customerSays(pano, channelId, "kh-cho-2", TEXT)];
  const answered = await customerSays(pano, channelId, "kh-da-tra-loi", TEXT);
  for (const id of [...waiting, answered]) await assignedTo(id, hoa, `conversation ${id} to go to Hoa, the only one online`);
  // Hoa answers one customer: that one no longer waits on her.
  await fetch(`${pano.url}/api/v1/conversations/${answered}/messages`, {
    method: "POST", headers: { authorization: `Bearer ${hoa.token}`, "content-type": "application/json" }, body: JSON.stringify({ text: "Dạ đơn của anh/chị đang giao, mai tới ạ" }),
  }).then((r) => expect(r.status).toBe(202));

  hoa.goOffline();
  await nam.goOnline();
  // Right after she leaves, nothing moves: a short absence (a reload, a tunnel) costs her nothing.
  // The sleep is the absence itself (a few 1 s sweeps long), not a wait for work to finish.
  await Bun.sleep(3000);
  // A customer writing now goes to Nam: assignment has worked the queue with Hoa counted gone.
  const meanwhile = await customerSays(pano, channelId, "kh-trong-luc-do", TEXT);
  await assignedTo(meanwhile, nam, "a new customer to go to Nam while Hoa is away");
  for (const id of waiting) expect((await conv(id)).assignee_id).toBe(hoa.id);

  // Past the minute, the sweep gives the waiting ones back and the queue hands them to Nam.
  for (const id of waiting) await eventually(async () => ((await conv(id)).assignee_id === nam.id ? true : null), 75_000, `conversation ${id} to go back to the queue and on to Nam`);
  expect((await conv(answered)).assignee_id).toBe(hoa.id);
  expect(pano.logs()).toContain("returned waiting conversations of offline agents to the team queue");
}, 120_000);
