// Satisfaction surveys on Zalo OA: the question goes out as a consultation message that the customer
// answers with a number. A number outside 1–5 is refused; "4 - ..." rates and comments and updates
// the earlier "5"; "STOP" ends surveys for that customer; a customer surveyed lately is not asked
// again within the team's days. None of these answers reopens the conversation.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eventually, ADMIN } from "./support/pano.ts";
import { signIn } from "./settings-session.ts";
import { startZaloWorld, type ZaloWorld } from "./sim/zalo-pano.ts";
import { surveyTeam, handleAndResolve, surveySent, surveyOf, ratedAs, newestConversation, summaryNow, type SurveyTeam } from "./support/csat.ts";

let w: ZaloWorld;
let team: SurveyTeam;
beforeAll(async () => {
  w = await startZaloWorld();
  // Reopen window 0: a customer's next question after a resolution is a new conversation at once.
  team = await surveyTeam(w.pano, "CSKH Zalo", { min_days_between: 30 }, { reopen_window: 0 });
}, 60_000);
afterAll(async () => await w?.stop());

/** The conversation as the inbox opens it beside the list (the pane and the customer panel). */
async function agentPane(conv: string) {
  const session = await signIn(w.pano, ADMIN.email, ADMIN.password);
  const r = await fetch(`${w.pano.url}/conversations/${conv}`, { headers: { cookie: session.cookie, "hx-request": "true" } });
  expect(r.status).toBe(200);
  return r.text();
}

const status = async (id: string) => (await w.pano.json(`/api/v1/conversations/${id}`)).status;
const sentTo = (user: string) => w.sim.sent.filter((s) => s.user_id === user).map((s) => s.message.text as string);

async function customer(name: string, question: string) {
  const user = w.sim.addUser(undefined, { display_name: name });
  await w.sim.userSays(user, question);
  const conv = (await w.conversationOf(user)).id as string;
  const contactId = (await w.contactOf(user)).id as string;
  return { user, conv, contactId };
}

test("resolve → a Zalo message asking for a number → '0' refused, '5' rates, '4 - comment' updates it, the conversation stays resolved", async () => {
  const { user, conv } = await customer("Phạm Thu Hà", "Áo khoác này có size L không shop?");
  await handleAndResolve(w.pano, team, conv);
  const { message } = await surveySent(w.pano, conv);
  expect(message.status).toBe("sent");
  const asked = sentTo(user).at(-1)!;
  expect(asked).toContain("Bạn hài lòng thế nào với hỗ trợ của chúng tôi?");
  expect(asked).toContain("Trả lời bằng một số từ 1 (rất không hài lòng) đến 5 (rất hài lòng).");

  await w.sim.userSays(user, "0");
  await eventually(async () => (await w.messagesOf(conv)).some((m: any) => m.direction === "in" && m.text === "0"), 5000, "the refused '0' stored");
  expect((await surveyOf(w.pano, conv)).rating).toBeNull();
  expect(await status(conv)).toBe("resolved");

  await w.sim.userSays(user, "5");
  await ratedAs(w.pano, conv, 5);
  await w.sim.userSays(user, "4 - giao hàng hơi chậm");
  const s = await ratedAs(w.pano, conv, 4);
  expect(s.comment).toBe("giao hàng hơi chậm");
  expect(await status(conv)).toBe("resolved");

  const r = await summaryNow(w.pano, `&team_id=${team.teamId}`);
  expect(r.by_channel.find((x: any) => x.channel_id === w.channelId)).toMatchObject({ csat: { responses: 1, average: 4 }, csat_surveys_sent: 1, csat_response_rate: 1 });
}, 60_000);

test("a customer surveyed lately is not asked again within the team's days; with 0 days they are", async () => {
  const { user, conv, contactId } = await customer("Lê Văn Nam", "Shop ơi đơn của em sao chưa giao?");
  await handleAndResolve(w.pano, team, conv);
  await surveySent(w.pano, conv);
  await w.sim.userSays(user, "5");
  await ratedAs(w.pano, conv, 5);

  // A new question the next day: a new conversation, handled and resolved: no second survey within 30 days.
  await w.sim.userSays(user, "Cho em hỏi thêm về đổi trả ạ");
  const second = await newestConversation(w.pano, contactId, conv);
  await handleAndResolve(w.pano, team, second);
  // Another customer resolved afterwards is surveyed: by then the second conversation's turn has passed.
  const other = await customer("Đỗ Minh Khoa", "Shop mở cửa mấy giờ?");
  await handleAndResolve(w.pano, team, other.conv);
  await surveySent(w.pano, other.conv);
  expect((await surveyOf(w.pano, second)).survey).toBeNull();

  await w.pano.json(`/api/v1/teams/${team.teamId}/csat`, { method: "PATCH", json: { min_days_between: 0 } });
  await w.sim.userSays(user, "Em muốn đặt thêm 2 cái nữa");
  const third = await newestConversation(w.pano, contactId, second);
  await handleAndResolve(w.pano, team, third);
  await surveySent(w.pano, third);
  await w.pano.json(`/api/v1/teams/${team.teamId}/csat`, { method: "PATCH", json: { min_days_between: 30 } });
}, 60_000);

test("'STOP' to a survey ends surveys for that customer, on every later conversation", async () => {
  await w.pano.json(`/api/v1/teams/${team.teamId}/csat`, { method: "PATCH", json: { min_days_between: 0 } });
  const { user, conv, contactId } = await customer("Vũ Thị Mai", "Shop có ship COD không?");
  await handleAndResolve(w.pano, team, conv);
  await surveySent(w.pano, conv);
  expect(sentTo(user).at(-1)).toContain("Nhắn STOP");
  await w.sim.userSays(user, "STOP");
  await eventually(async () => (await w.messagesOf(conv)).some((m: any) => m.text === "STOP"), 5000, "the STOP stored");
  expect(await status(conv)).toBe("resolved");
  expect((await surveyOf(w.pano, conv)).rating).toBeNull();
  // The agents see it on the customer's profile and in the panel beside the conversation.
  expect((await w.pano.json(`/api/v1/contacts/${contactId}`)).surveys_stopped_at).toMatch(/^\d{4}-/);
  const pane = await agentPane(conv);
  expect(pane).toContain("Khách đã yêu cầu không nhận khảo sát hài lòng.");
  expect(pane).toContain("Khách yêu cầu không nhận khảo sát nữa");

  await w.sim.userSays(user, "Cho chị hỏi giá sỉ");
  const next = await newestConversation(w.pano, contactId, conv);
  await handleAndResolve(w.pano, team, next);
  const other = await customer("Ngô Bảo Châu", "Shop còn hàng không?");
  await handleAndResolve(w.pano, team, other.conv);
  await surveySent(w.pano, other.conv);
  expect((await surveyOf(w.pano, next)).survey).toBeNull();
  await w.pano.json(`/api/v1/teams/${team.teamId}/csat`, { method: "PATCH", json: { min_days_between: 30 } });
}, 60_000);

test("a survey waits the team's delay; the customer writing again before then calls it off", async () => {
  const waiting = await surveyTeam(w.pano, "CSKH Zalo chờ", { delay_minutes: 60 });
  const { user, conv } = await customer("Trịnh Công Sơn", "Shop ơi áo này giặt máy được không?");
  await handleAndResolve(w.pano, waiting, conv);
  const scheduled = await eventually(async () => {
    const s = await surveyOf(w.pano, conv);
    return s.survey?.status === "scheduled" ? s.survey : null;
  }, 10_000, "the survey scheduled");
  expect(scheduled.sent_at).toBeNull();
  await w.sim.userSays(user, "À shop ơi, cho em hỏi thêm về màu khác");
  await eventually(async () => (await surveyOf(w.pano, conv)).survey?.status === "skipped", 10_000, "the survey called off");
  expect(await status(conv)).toBe("open");
  expect(sentTo(user).some((t) => t.includes("Bạn hài lòng"))).toBe(false);
}, 60_000);
