// When everyone is busy, conversations wait in the team queue, urgent first, and go to the next
// agent who frees up or comes online; nobody is given more than their capacity.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { addAgent, addTeam, customerSays, type Agent } from "./support/agents.ts";

let pano: PanoProcess;
let channelId: string;
let team: string;
let lan: Agent;
let minh: Agent;
let marker: Agent;

const TEXT = "[hang-doi] cho mình hỏi áo thun này còn size M không ạ";

beforeAll(async () => {
  pano = await startPano();
  channelId = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Messenger shop" } })).id;
  team = await addTeam(pano, "Tư vấn", "round_robin");
  await pano.json("/api/v1/routing-rules", { method: "POST", json: { name: "Hàng đợi", conditions: { keywords: ["[hang-doi]"] }, actions: { team_id: team } } });
  lan = await addAgent(pano, "lan@shop.vn", [team], 2);
  minh = await addAgent(pano, "minh@shop.vn", [team], 2);
  const markers = await addTeam(pano, "Mốc", "round_robin");
  await pano.json("/api/v1/routing-rules", { method: "POST", json: { name: "Mốc", conditions: { keywords: ["[moc]"] }, actions: { team_id: markers } } });
  marker = await addAgent(pano, "moc@shop.vn", [markers], 1000);
  await marker.goOnline();
});
afterAll(async () => {
  lan.goOffline();
  minh.goOffline();
  marker.goOffline();
  await pano.stop();
});

const conv = (id: string) => pano.json(`/api/v1/conversations/${id}`);
const assigneeOf = async (id: string) => (await conv(id)).assignee_id;
const routed = (id: string) => eventually(async () => ((await conv(id)).team_id === team ? true : null), 10_000, `conversation ${id} routed to the team`);
/**
 * Assignment works the queues one pass after another, in the order they were touched: once a
 * message sent now to a team with room is assigned, every queue touched before it has been
 * worked, so what is still unassigned then was left waiting, not merely not reached yet.
 */
async function assignmentCaughtUp() {
  const id = await customerSays(pano, channelId, `moc-${Math.random()}`, "[moc] cho mình hỏi giờ mở cửa");
  await eventually(async () => (await assigneeOf(id)) === marker.id, 10_000, "the marker conversation assigned");
}
/** Pano has counted the agent's live connection closed (the status answer says `connected`). */
const noticedOffline = (a: Agent) =>
  eventually(async () => (await pano.json(`/api/v1/users/${a.id}/status`, { method: "PUT", json: {} })).connected === false, 5_000, `${a.email} counted offline`);

test("capacity is respected, the queue drains urgent first when someone frees up or comes online", async () => {
  // The message is not urgent on its own, so the queue order below is the test's doing.
  expect((await pano.json("/api/v1/triage", { method: "POST", json: { text: TEXT } })).urgent).toBe(false);

  await lan.goOnline();
  const c: string[] = [];
  for (let i = 1; i <= 5; i++) {
    c.push(await customerSays(pano, channelId, `khach-${i}`, TEXT));
    await routed(c[i - 1]);
  }
  await eventually(async () => (await assigneeOf(c[1])) === lan.id, 10_000, "Lan to get her first two");
  expect(await assigneeOf(c[0])).toBe(lan.id);
  // Lan's capacity is 2: the other three wait; Minh is not online, so he gets nothing.
  await assignmentCaughtUp();
  for (const id of c.slice(2)) expect(await assigneeOf(id)).toBeNull();

  // A supervisor marks the last one urgent: it jumps the queue.
  await pano.json(`/api/v1/conversations/${c[4]}`, { method: "PATCH", json: { priority: "urgent" } });
  await pano.json(`/api/v1/conversations/${c[0]}`, { method: "PATCH", json: { status: "resolved" } });
  await eventually(async () => (await assigneeOf(c[4])) === lan.id, 10_000, "the urgent conversation to go to Lan when she frees up");
  expect(await assigneeOf(c[2])).toBeNull();

  // Minh comes online: the queue drains to him, up to his capacity.
  await minh.goOnline();
  await eventually(async () => (await assigneeOf(c[2])) === minh.id && (await assigneeOf(c[3])) === minh.id, 10_000, "Minh to take the waiting two");

  // Lan leaves with room for one more; Minh is full, so a new customer waits until Minh frees up.
  lan.goOffline();
  await noticedOffline(lan);
  await pano.json(`/api/v1/conversations/${c[1]}`, { method: "PATCH", json: { status: "resolved" } });
  const late = await customerSays(pano, channelId, "khach-muon", TEXT);
  await routed(late);
  await assignmentCaughtUp();
  expect(await assigneeOf(late)).toBeNull();
  await pano.json(`/api/v1/conversations/${c[2]}`, { method: "PATCH", json: { status: "resolved" } });
  await eventually(async () => (await assigneeOf(late)) === minh.id, 10_000, "the late customer to go to Minh, not to Lan who left");

  const mine = await pano.json(`/api/v1/conversations?assignee_id=${lan.id}`);
  expect(mine.data.length).toBeLessThanOrEqual(2);
});

test("an agent who sets themselves away gets nothing new, and an agent cannot set someone else's status", async () => {
  const r = await fetch(`${pano.url}/api/v1/users/${lan.id}/status`, { method: "PUT", headers: { authorization: `Bearer ${minh.token}`, "content-type": "application/json" }, body: JSON.stringify({ availability: "away" }) });
  expect(r.status).toBe(403);
  const self = await fetch(`${pano.url}/api/v1/users/${minh.id}/status`, { method: "PUT", headers: { authorization: `Bearer ${minh.token}`, "content-type": "application/json" }, body: JSON.stringify({ availability: "away" }) });
  expect(self.status).toBe(200);
  expect((await self.json()).availability).toBe("away");
  await pano.json(`/api/v1/conversations/${(await pano.json(`/api/v1/conversations?assignee_id=${minh.id}`)).data[0].id}`, { method: "PATCH", json: { status: "resolved" } });
  const waiting = await customerSays(pano, channelId, "khach-cuoi", TEXT);
  await routed(waiting);
  await assignmentCaughtUp();
  expect(await assigneeOf(waiting)).toBeNull();
});
