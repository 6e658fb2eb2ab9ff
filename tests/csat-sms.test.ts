// Satisfaction surveys by SMS through an Android phone (SMS Gateway for Android): the question goes
// out as a text answered with a digit; "5" rates the conversation without reopening it, "7" is
// refused, and the rating shows in the report for the SMS channel.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { smsGateway } from "./sim/sms-gateway.ts";
import { gatewayChannel, smsThread, GATEWAY_LOGIN } from "./support/sms.ts";
import { surveyTeam, handleAndResolve, surveySent, surveyOf, ratedAs, summaryNow, type SurveyTeam } from "./support/csat.ts";

let pano: PanoProcess;
let gw: ReturnType<typeof smsGateway>;
let channel: { id: string; eventsUrl: string };
let team: SurveyTeam;

beforeAll(async () => {
  gw = smsGateway(GATEWAY_LOGIN);
  pano = await startPano();
  channel = await gatewayChannel(pano, gw);
  team = await surveyTeam(pano, "CSKH SMS");
}, 60_000);
afterAll(async () => {
  await pano?.stop();
  gw?.stop();
});

test("resolve → a text asking for a digit → '7' refused, '5' rates; the conversation stays resolved; the rating in the report", async () => {
  await gw.receive("+84987654321", "Shop ơi em muốn đổi địa chỉ giao hàng");
  const conv = (await eventually(async () => (await smsThread(pano, "0987654321", channel.id)).conversation, 10_000, "the SMS conversation")).id as string;
  await handleAndResolve(pano, team, conv, "Dạ shop đã đổi địa chỉ giao hàng cho chị rồi ạ.");
  await surveySent(pano, conv);
  const asked = await eventually(() => gw.messages.find((m) => m.text.startsWith("Bạn hài lòng thế nào")), 15_000, "the survey at the gateway");
  expect(asked.phoneNumbers).toEqual(["+84987654321"]);
  expect(asked.text).toContain("Trả lời bằng một số từ 1 (rất không hài lòng) đến 5 (rất hài lòng).");

  await gw.receive("+84987654321", "7");
  await eventually(async () => (await smsThread(pano, "0987654321", channel.id)).messages.some((m: any) => m.text === "7"), 10_000, "the '7' stored");
  expect((await surveyOf(pano, conv)).rating).toBeNull();
  await gw.receive("+84987654321", "5");
  await ratedAs(pano, conv, 5);
  expect((await pano.json(`/api/v1/conversations/${conv}`)).status).toBe("resolved");

  const r = await summaryNow(pano, `&team_id=${team.teamId}`);
  expect(r.by_channel.find((x: any) => x.channel_id === channel.id)).toMatchObject({ channel_type: "sms", csat: { responses: 1, average: 5 }, csat_surveys_sent: 1, csat_response_rate: 1 });
}, 60_000);
