// Satisfaction surveys by email, against a real Dovecot and SMTP peer and a real Chromium: the
// survey mail threads under the conversation with five signed links; a click rates without a login
// and opens a short comment page; a reused, forged, expired or other-conversation link records
// nothing and says so; the stop link ends surveys; a conversation whose customer is a machine
// (an auto-reply) is never surveyed.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import type { Browser } from "playwright-core";
import { startPano, eventually, type PanoProcess, openDatabaseOf } from "./support/pano.ts";
import { startDovecot, type Dovecot } from "./support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer, type ReceivedMail } from "./support/smtp-peer.ts";
import { launchBrowser, openPage } from "./support/browser.ts";
import { mail } from "./fixtures/email/mail.ts";
import { surveyTeam, handleAndResolve, surveySent, surveyOf, ratedAs, summaryNow, type SurveyTeam } from "./support/csat.ts";

let pano: PanoProcess;
let dovecot: Dovecot;
let smtp: SmtpPeer;
let browser: Browser;
let channelId: string;
let team: SurveyTeam;

beforeAll(async () => {
  [dovecot, smtp, pano, browser] = await Promise.all([startDovecot(), startSmtpPeer(), startPano({ env: { PANO_RETRY_BASE_MS: "50" } }), launchBrowser()]);
  const ch = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "email", name: "Hộp thư shop", config: { imap: dovecot.imapConfig(), smtp: smtp.smtpConfig(), from_address: "shop@pano.test", from_name: "Shop Pano" } },
  });
  channelId = ch.id;
  team = await surveyTeam(pano, "CSKH Email", { min_days_between: 0 });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
  await Promise.all([dovecot?.stop(), smtp?.stop()]);
});

const conversations = async () => (await pano.json(`/api/v1/conversations?status=all&channel_id=${channelId}`)).data as any[];
const messagesOf = async (convId: string) => (await pano.json(`/api/v1/conversations/${convId}/messages?limit=100`)).data as any[];

async function customerMails(from: string, subject: string, text = "Shop ơi, đơn của mình sao rồi?") {
  await dovecot.append([mail({ from, subject, text })]);
  return (await eventually(async () => (await conversations()).find((c) => c.subject === subject), 15_000, `conversation "${subject}"`)).id as string;
}

/** The survey mail the customer received, and its links by rating. */
async function surveyMailTo(address: string): Promise<{ mail: ReceivedMail; links: Map<number, string>; stop: string }> {
  const m = await eventually(() => smtp.received.find((r) => r.to.includes(address) && /\/csat\/rate\?/.test(r.parsed.text ?? "")), 15_000, `the survey mail to ${address}`);
  const links = new Map([...(m.parsed.text ?? "").matchAll(/^([1-5]): (\S+)$/gm)].map((x) => [Number(x[1]), x[2]]));
  const stop = /(\S+\/csat\/stop\?\S+)/.exec(m.parsed.text ?? "")![1];
  return { mail: m, links, stop };
}

async function openLink(url: string) {
  const { page, context } = await openPage(browser);
  const res = await page.goto(url);
  return { page, context, status: res!.status(), outcome: await page.locator("[data-outcome]").getAttribute("data-outcome"), said: await page.locator("[data-outcome]").innerText() };
}

test("resolve → a survey mail in the thread with five links → a click rates 4 without a login → a comment → the rating in the report; the same mail's other link is spent", async () => {
  const conv = await customerMails("Trần Thị Hồng <hong.tran@khachhang.vn>", "Đổi trả giày size 38");
  await handleAndResolve(pano, team, conv, "Dạ shop đã nhận yêu cầu đổi size, chị gửi lại giày giúp shop nhé.");
  const { message } = await surveySent(pano, conv);
  const { mail: m, links } = await surveyMailTo("hong.tran@khachhang.vn");
  expect([...links.keys()]).toEqual([1, 2, 3, 4, 5]);
  expect(m.parsed.subject).toBe("Re: Đổi trả giày size 38");
  expect(m.parsed.headers.get("auto-submitted")).toBe("auto-replied");
  expect(m.parsed.inReplyTo).toBeTruthy();
  expect(m.parsed.html).toContain("/csat/rate?");
  expect(message.text).toBe("Bạn hài lòng thế nào với hỗ trợ của chúng tôi?");

  const { page, context, status, outcome, said } = await openLink(links.get(4)!);
  expect(status).toBe(200);
  expect(outcome).toBe("csat.page.thanks");
  expect(said).toContain("Cảm ơn bạn đã đánh giá 4/5");
  await ratedAs(pano, conv, 4);
  await page.getByLabel("Bạn muốn góp ý thêm? (không bắt buộc)").fill("Nhân viên tư vấn rất nhiệt tình, nhưng giao hàng hơi chậm.");
  await page.getByRole("button", { name: "Gửi góp ý" }).click();
  await page.locator('[data-outcome="csat.page.comment_thanks"]').waitFor();
  await context.close();
  expect(await surveyOf(pano, conv)).toMatchObject({ rating: 4, comment: "Nhân viên tư vấn rất nhiệt tình, nhưng giao hàng hơi chậm." });
  expect((await pano.json(`/api/v1/conversations/${conv}`)).status).toBe("resolved");

  // Single use: another link of the same mail, or the same one again, records nothing.
  const again = await openLink(links.get(1)!);
  expect(again.status).toBe(409);
  expect(again.outcome).toBe("csat.page.used");
  expect(again.said).toContain("đã được dùng");
  await again.context.close();
  expect((await surveyOf(pano, conv)).rating).toBe(4);

  const r = await summaryNow(pano, `&team_id=${team.teamId}`);
  expect(r.by_agent.find((a: any) => a.agent_id === team.agentId)).toMatchObject({ csat: { responses: 1, average: 4 }, csat_surveys_sent: 1, csat_surveys_answered: 1 });
}, 60_000);

test("forged, expired and other-conversation links record nothing and say so", async () => {
  const a = await customerMails("Nguyễn Văn An <an.nguyen@khachhang.vn>", "Hỏi bảo hành máy xay");
  const b = await customerMails("Hoàng Thị Bích <bich.hoang@khachhang.vn>", "Hỏi giờ mở cửa");
  await handleAndResolve(pano, team, a);
  await handleAndResolve(pano, team, b);
  const { links } = await surveyMailTo("an.nguyen@khachhang.vn");
  await surveyMailTo("bich.hoang@khachhang.vn");
  const five = new URL(links.get(5)!);

  const forged = new URL(five);
  forged.searchParams.set("r", "1");
  const f = await openLink(forged.toString());
  expect([f.status, f.outcome]).toEqual([400, "csat.page.forged"]);
  await f.context.close();

  const outOfRange = new URL(five);
  outOfRange.searchParams.set("r", "7");
  const o = await openLink(outOfRange.toString());
  expect(o.status).toBe(400);
  await o.context.close();

  const other = new URL(five);
  other.searchParams.set("c", b);
  const x = await openLink(other.toString());
  expect([x.status, x.outcome]).toEqual([400, "csat.page.other_conversation"]);
  expect(x.said).toContain("hội thoại khác");
  await x.context.close();

  // A link signed with Pano's own key whose time ran out: as Pano would have made it 31 days ago.
  const db = openDatabaseOf(pano.dataDir);
  const key = db.query<{ key: string }, []>("SELECT key FROM csat_link_key").get()!.key;
  db.close();
  const expired = new URL(five);
  const e = String(Date.now() - 86400_000);
  expired.searchParams.set("e", e);
  expired.searchParams.set("sig", createHmac("sha256", key).update(`rate|${five.searchParams.get("s")}|5|${e}`).digest("base64url"));
  const ex = await openLink(expired.toString());
  expect([ex.status, ex.outcome]).toEqual([410, "csat.page.expired"]);
  await ex.context.close();

  expect((await surveyOf(pano, a)).rating).toBeNull();
  expect((await surveyOf(pano, b)).rating).toBeNull();
  // The real link still works after all that.
  const ok = await openLink(five.toString());
  expect(ok.outcome).toBe("csat.page.thanks");
  await ok.context.close();
  await ratedAs(pano, a, 5);
}, 60_000);

test("the stop link ends surveys for that customer; a conversation whose last mail is an auto-reply gets none", async () => {
  const first = await customerMails("Đặng Quốc Bảo <bao.dang@khachhang.vn>", "Hỏi phí giao hàng");
  await handleAndResolve(pano, team, first);
  const { stop } = await surveyMailTo("bao.dang@khachhang.vn");
  // Opening the link (as a mail scanner does before the customer) only asks; the button stops them.
  const s = await openLink(stop);
  expect([s.status, s.outcome]).toEqual([200, "csat.page.stop_confirm"]);
  const contactId = (await pano.json(`/api/v1/conversations/${first}`)).contact_id;
  expect((await pano.json(`/api/v1/contacts/${contactId}`)).surveys_stopped_at).toBeNull();
  await s.page.getByRole("button", { name: "Ngừng nhận khảo sát" }).click();
  await s.page.waitForSelector('[data-outcome="csat.page.stopped"]');
  expect((await pano.json(`/api/v1/contacts/${contactId}`)).surveys_stopped_at).not.toBeNull();
  await s.context.close();
  const second = await customerMails("Đặng Quốc Bảo <bao.dang@khachhang.vn>", "Đặt thêm hàng");
  await handleAndResolve(pano, team, second);

  // An out-of-office answer to the agent's reply: the other side is a machine now.
  const away = await customerMails("Phan Thanh Tâm <tam.phan@congty.vn>", "Báo giá máy lọc nước");
  const reply = await pano.json(`/api/v1/conversations/${away}/messages`, { method: "POST", json: { text: "Dạ shop gửi anh báo giá ạ." } });
  const sent = await eventually(async () => (await messagesOf(away)).find((m) => m.id === reply.id && m.status === "sent"), 15_000, "the reply sent");
  await dovecot.append([mail({ from: "Phan Thanh Tâm <tam.phan@congty.vn>", subject: "Tự động trả lời: Re: Báo giá máy lọc nước", inReplyTo: sent.external_id, headers: { "Auto-Submitted": "auto-replied" }, text: "Tôi đang nghỉ phép đến thứ Hai." })]);
  await eventually(async () => (await messagesOf(away)).some((m) => m.text.startsWith("Tôi đang nghỉ phép")), 15_000, "the auto-reply stored");
  await handleAndResolve(pano, team, away);

  // A control resolved after both is surveyed: by then their turn has passed.
  const control = await customerMails("Lý Thu Trang <trang.ly@khachhang.vn>", "Cảm ơn shop");
  await handleAndResolve(pano, team, control);
  await surveyMailTo("trang.ly@khachhang.vn");
  expect((await surveyOf(pano, second)).survey).toBeNull();
  expect((await surveyOf(pano, away)).survey).toBeNull();
  expect(smtp.received.filter((r) => r.to.includes("tam.phan@congty.vn") && /csat/.test(r.parsed.text ?? ""))).toHaveLength(0);
}, 60_000);
