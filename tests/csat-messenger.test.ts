// Satisfaction surveys on Messenger: a resolved conversation of a team that asks gets the question
// with five quick replies; the customer's tap rates it (a second tap updates, never a second
// rating), the conversation stays resolved and no one is asked to answer "5"; the rating is
// credited to the agent who handled it and shows in the report, the API and the CSV.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eventually } from "./support/pano.ts";
import { addAgent } from "./support/agents.ts";
import { startFacebookStory, psidOf, type FacebookStory } from "./sim/facebook-pano.ts";
import { surveyTeam, handleAndResolve, surveySent, surveyOf, ratedAs, summaryNow, type SurveyTeam } from "./support/csat.ts";

let s: FacebookStory;
let team: SurveyTeam;
beforeAll(async () => {
  s = await startFacebookStory();
  team = await surveyTeam(s.pano, "CSKH Messenger", { text_vi: "Chị thấy shop tư vấn thế nào ạ?" });
}, 60_000);
afterAll(async () => await s?.stop());

const conversation = (id: string) => s.pano.json(`/api/v1/conversations/${id}`);

test("resolve → survey with quick replies 1–5 → the customer taps 4, then 5 → one rating of 5, credited to the agent, in the report", async () => {
  const psid = psidOf(1);
  const conv = await s.customerWroteAgo(psid, 60_000, "Shop ơi đơn DH1234 của em tới đâu rồi ạ?");
  await handleAndResolve(s.pano, team, conv);

  const { survey, message } = await surveySent(s.pano, conv);
  expect(message).toMatchObject({ direction: "out", text: "Chị thấy shop tư vấn thế nào ạ?", status: "sent" });
  const call = s.sendsTo(psid).find((c) => c.body.message.quick_replies)!;
  expect(call.body.messaging_type).toBe("RESPONSE");
  expect(call.body.message.text).toContain("Chị thấy shop tư vấn thế nào ạ?");
  expect(call.body.message.quick_replies).toEqual([1, 2, 3, 4, 5].map((n) => ({ content_type: "text", title: `${n} ⭐`, payload: `PANO_CSAT:${survey.id}:${n}` })));

  // Messenger posts the tapped title as a text message with the payload beside it.
  await s.sim.customerSays(psid, "4 ⭐", { quickReply: `PANO_CSAT:${survey.id}:4` });
  expect(await ratedAs(s.pano, conv, 4)).toMatchObject({ survey: { agent_id: team.agentId, status: "answered" } });
  await s.sim.customerSays(psid, "5 ⭐", { quickReply: `PANO_CSAT:${survey.id}:5` });
  await ratedAs(s.pano, conv, 5);

  // The answers stay on the resolved conversation; nobody is waiting for a reply to them.
  const c = await conversation(conv);
  expect(c.status).toBe("resolved");
  const answers = (await s.messages(conv)).filter((m: any) => m.direction === "in" && /⭐/.test(m.text));
  expect(answers).toHaveLength(2);

  const r = await summaryNow(s.pano, `&team_id=${team.teamId}`);
  expect(r.csat).toEqual({ responses: 1, average: 5 });
  expect(r).toMatchObject({ csat_surveys_sent: 1, csat_surveys_answered: 1, csat_response_rate: 1 });
  const mine = r.by_agent.find((a: any) => a.agent_id === team.agentId);
  expect(mine.csat).toEqual({ responses: 1, average: 5 });
  expect(mine).toMatchObject({ csat_surveys_sent: 1, csat_response_rate: 1 });
  // The survey's "5" is no customer question: the agent's response figures count only the real one.
  expect(mine.first_responses).toBe(1);
  expect(r.by_channel.find((x: any) => x.channel_id === s.channelId)).toMatchObject({ csat: { responses: 1, average: 5 }, csat_surveys_sent: 1 });

  const csv = await (await s.pano.api(`/api/v1/reports/summary.csv?team_id=${team.teamId}&from=${new Date(Date.now() - 86400_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`)).text();
  const [head, all] = csv.replace(/^\uFEFF/, "").split(/\r?\n/);
  const cols = head.split(",");
  const cells = all.split(",");
  expect(cells[cols.indexOf("csat_average")]).toBe("5");
  expect(cells[cols.indexOf("csat_surveys_sent")]).toBe("1");
  expect(cells[cols.indexOf("csat_response_rate")]).toBe("1");

  const series = await s.pano.json(`/api/v1/reports/timeseries?metric=csat.response_rate&interval=day&team_id=${team.teamId}&from=${new Date(Date.now() - 86400_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`);
  expect(series.points.some((p: any) => p.value === 1)).toBe(true);
}, 60_000);

test("a payload outside 1–5 is refused: the rating stays, the conversation stays resolved", async () => {
  const psid = psidOf(2);
  const conv = await s.customerWroteAgo(psid, 60_000, "Cho em đổi size áo với ạ");
  await handleAndResolve(s.pano, team, conv);
  const { survey } = await surveySent(s.pano, conv);
  await s.sim.customerSays(psid, "3 ⭐", { quickReply: `PANO_CSAT:${survey.id}:3` });
  await ratedAs(s.pano, conv, 3);
  const forged = await s.sim.customerSays(psid, "9", { quickReply: `PANO_CSAT:${survey.id}:9` });
  // The refused answer is stored (nothing is lost); the rating is not touched.
  await eventually(async () => (await s.messages(conv)).some((m: any) => m.external_id === forged.mid), 5000, "the refused answer stored");
  expect((await surveyOf(s.pano, conv)).rating).toBe(3);
  expect((await conversation(conv)).status).toBe("resolved");
}, 60_000);

test("an echo of the survey is recognised as Pano's own send, not stored twice", async () => {
  const psid = psidOf(3);
  const conv = await s.customerWroteAgo(psid, 60_000, "Shop có giao tỉnh không?");
  await handleAndResolve(s.pano, team, conv);
  const { message } = await surveySent(s.pano, conv);
  await eventually(() => s.sim.deliveries.some((d) => d.status === 200 && d.raw.includes(message.external_id) && d.raw.includes('"is_echo":true')), 5000, "the survey's echo");
  expect((await s.messages(conv)).filter((m: any) => m.direction === "out" && m.text === message.text)).toHaveLength(1);
}, 60_000);

test("a tap on an earlier conversation's survey, after the customer has asked something new, rates that earlier one", async () => {
  const quick = await surveyTeam(s.pano, "CSKH Messenger nhanh", {}, { reopen_window: 0 });
  const psid = psidOf(4);
  const first = await s.customerWroteAgo(psid, 60_000, "Shop ơi em muốn hủy đơn");
  await handleAndResolve(s.pano, quick, first);
  const { survey } = await surveySent(s.pano, first);
  await s.sim.customerSays(psid, "Cho em hỏi mẫu mới về chưa ạ?");
  const contact = (await s.conversationOf(psid)).contactId;
  const second = await eventually(async () => {
    const ids = ((await s.pano.json(`/api/v1/contacts/${contact}`)).conversation_ids as string[]).filter((id) => id !== first);
    return ids[0];
  }, 10_000, "the new conversation");
  await s.sim.customerSays(psid, "5 ⭐", { quickReply: `PANO_CSAT:${survey.id}:5` });
  await ratedAs(s.pano, first, 5);
  expect((await conversation(second)).status).toBe("open");
  expect((await conversation(first)).status).toBe("resolved");
}, 60_000);

test("the rating is credited to the agent who handled the conversation (wrote its replies), not to whoever holds it", async () => {
  const helper = await addAgent(s.pano, "lan.nguyen@pano.test", [team.teamId]);
  const psid = psidOf(5);
  const conv = await s.customerWroteAgo(psid, 60_000, "Shop ơi kiểm tra giúp em mã giảm giá");
  await s.pano.json(`/api/v1/conversations/${conv}`, { method: "PATCH", json: { team_id: team.teamId, assignee_id: team.agentId } });
  // Lan answers twice though the conversation is the admin's; the admin resolves it.
  for (const text of ["Dạ em kiểm tra ngay ạ", "Mã của chị còn hạn, chị nhập lại giúp em nhé"]) {
    const r = await fetch(`${s.pano.url}/api/v1/conversations/${conv}/messages`, { method: "POST", headers: { authorization: `Bearer ${helper.token}`, "content-type": "application/json" }, body: JSON.stringify({ text }) });
    expect(r.status).toBe(202);
  }
  await eventually(async () => (await s.messages(conv)).filter((m: any) => m.direction === "out" && m.status === "sent").length === 2, 10_000, "Lan's replies sent");
  await s.pano.json(`/api/v1/conversations/${conv}`, { method: "PATCH", json: { status: "resolved" } });
  const { survey } = await surveySent(s.pano, conv);
  expect(survey.agent_id).toBe(helper.id);
  await s.sim.customerSays(psid, "2 ⭐", { quickReply: `PANO_CSAT:${survey.id}:2` });
  await ratedAs(s.pano, conv, 2);
  const r = await summaryNow(s.pano, `&team_id=${team.teamId}`);
  expect(r.by_agent.find((a: any) => a.agent_id === helper.id)).toMatchObject({ csat: { responses: 1, average: 2 }, csat_surveys_sent: 1, csat_response_rate: 1 });
}, 60_000);
