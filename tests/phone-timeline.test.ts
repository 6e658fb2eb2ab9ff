// Stories of a call in the inbox: each call is one item in the customer's phone conversation with
// its direction, who answered, ring and talk time, outcome and end cause, and its recording fetched
// through the guarded fetcher (Stringee's with its REST key, a PBX's from its URL) as a player;
// a missed call waits in the queue marked "Gọi lại".
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser } from "playwright-core";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { launchBrowser, openPage, logIn, type WatchedPage } from "./support/browser.ts";
import { stringeeApi, stringeeEvents } from "./sim/stringee.ts";
import { pbxSender } from "./sim/pbx.ts";

const SHOP = "842873000009";
const PBX_SHOP = "842873000010";
const TOKEN = "tong-dai-timeline-token-0001";
const PBX_TOKEN = "tong-dai-timeline-pbx-00001";
const SECRET = "khoa-ky-tong-dai-timeline-123";
const MP3 = new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0x64, 1, 2, 3, 4]);

let pano: PanoProcess;
let sim: ReturnType<typeof stringeeApi>;
let files: ReturnType<typeof Bun.serve>;
let browser: Browser;
let w: WatchedPage;
const t = (s: number) => new Date(Date.UTC(2026, 2, 1, 2, 0, s)).toISOString();

beforeAll(async () => {
  sim = stringeeApi("SKtimeline", "bi-mat-stringee-timeline");
  files = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: (req) => (new URL(req.url).pathname === "/rec/pbx-r1.mp3" ? new Response(MP3, { headers: { "content-type": "audio/mpeg" } }) : new Response("no", { status: 404 })) });
  pano = await startPano({ env: { PANO_STRINGEE_API_URL: sim.url } });
  await pano.json("/api/v1/channels", { method: "POST", json: { type: "phone", name: "Stringee", config: { provider: "stringee", numbers: [SHOP], api_key_sid: "SKtimeline", api_key_secret: "bi-mat-stringee-timeline", webhook_token: TOKEN } } });
  await pano.json("/api/v1/channels", { method: "POST", json: { type: "phone", name: "Tổng đài", config: { provider: "generic", numbers: [PBX_SHOP], signing_secret: SECRET, webhook_token: PBX_TOKEN } } });
  await pano.json("/api/v1/users", { method: "POST", json: { email: "an@shop.vn", password: "mat-khau-dai-du-8", name: "Nguyễn An", role: "agent" } });
  browser = await launchBrowser();
  w = await openPage(browser);
  await logIn(w.page, pano);
});
afterAll(async () => {
  await browser?.close();
  await pano.stop();
  sim.stop();
  files.stop(true);
});

async function conversationOf(phone: string) {
  const found = await pano.json(`/api/v1/contacts?q=${phone}`);
  const full = await pano.json(`/api/v1/contacts/${found.data[0].id}`);
  return pano.json(`/api/v1/conversations/${full.conversation_ids[0]}`);
}

describe("a call in the conversation", () => {
  test("a PBX call: direction, who answered, ring and talk time, end cause, and its recording as a player", async () => {
    const pbx = pbxSender(`${pano.url}/webhooks/phone/${PBX_TOKEN}/events`, SECRET);
    const base = { call_id: "pbx-r1", direction: "inbound" as const, from: "0912555001", to: PBX_SHOP, started_at: t(0) };
    await pbx.post({ ...base, status: "ringing" });
    await pbx.post({ ...base, status: "ended", agent: "an@shop.vn", answered_at: t(12), ended_at: t(87), duration_s: 75, recording_url: `http://127.0.0.1:${files.port}/rec/pbx-r1.mp3` });
    const conv = await conversationOf("0912555001");
    await eventually(async () => {
      const msgs = await pano.json(`/api/v1/conversations/${conv.id}/messages`);
      return msgs.data.some((m: any) => m.attachments?.some((a: any) => a.url));
    }, 10_000, "recording stored");
    await w.page.goto(`${pano.url}/conversations/${conv.id}`);
    const item = w.page.locator("article.msg.call");
    await expect(item.count()).resolves.toBe(1);
    const text = await item.innerText();
    expect(text).toContain("Cuộc gọi đến");
    expect(text).toContain("Đã nghe");
    expect(text).toContain("Người nghe: Nguyễn An");
    expect(text).toContain("Đổ chuông 0:12");
    expect(text).toContain("Thời gian gọi 1:15");
    const src = await item.locator("audio").getAttribute("src");
    expect(src).toMatch(/^\/files\/[a-f0-9]{64}$/);
    const played = await fetch(`${pano.url}${src}`);
    expect(played.headers.get("content-type")).toBe("audio/mpeg");
    expect(new Uint8Array(await played.arrayBuffer())).toEqual(MP3);
  });

  test("a Stringee call's recording is fetched from its REST API with a fresh signed key; a missed call shows Gọi lại", async () => {
    sim.recordings.set("call-vn-1-REC1", MP3);
    const ev = stringeeEvents(`${pano.url}/webhooks/phone/${TOKEN}/events`);
    const caller = { number: "84912555002", type: "external" as const };
    const shop = { number: SHOP, type: "external" as const };
    const at = Date.parse(t(0));
    await ev.post("call-vn-1-REC1", "ringing", caller, shop, {}, at);
    await ev.post("call-vn-1-REC1", "answered", caller, shop, {}, at + 5000);
    await ev.post("call-vn-1-REC1", "ended", caller, shop, { duration: 65, answerDuration: 60, endCallCause: "16 Normal call clearing", endedBy: "from" }, at + 65_000);
    await eventually(() => sim.plays.find((p) => p.callId === "call-vn-1-REC1") ?? null, 10_000, "recording asked");
    const play = sim.plays.find((p) => p.callId === "call-vn-1-REC1")!;
    expect(play.claims).toMatchObject({ iss: "SKtimeline", rest_api: true });
    const conv = await conversationOf("0912555002");
    await eventually(async () => (await pano.json(`/api/v1/conversations/${conv.id}/messages`)).data.some((m: any) => m.attachments?.some((a: any) => a.url)), 10_000, "stored");
    const item = (await pano.json(`/api/v1/conversations/${conv.id}/messages`)).data.find((m: any) => m.kind === "call");
    expect(item.call.recording_url).toMatch(new RegExp(`^${pano.url}/files/[a-f0-9]{64}$`));
    await w.page.goto(`${pano.url}/conversations/${conv.id}`);
    const text = await w.page.locator("article.msg.call").innerText();
    expect(text).toContain("Thời gian gọi 1:00");
    expect(text).toContain("Lý do kết thúc: 16 Normal call clearing");
    expect(await w.page.locator("article.msg.call audio").count()).toBe(1);

    // Missed: no recording asked, and the queue and the conversation say "Gọi lại".
    await ev.post("call-vn-1-MISS", "ringing", { number: "84912555003", type: "external" }, shop, {}, at);
    await ev.post("call-vn-1-MISS", "ended", { number: "84912555003", type: "external" }, shop, { duration: 30, answerDuration: 0, endCallCause: "487 Request Terminated" }, at + 30_000);
    const missed = await conversationOf("0912555003");
    await w.page.goto(`${pano.url}/conversations/${missed.id}`);
    expect(await w.page.locator("article.msg.call").innerText()).toContain("Nhỡ");
    expect(await w.page.locator("#conv-head .tag.call-back").first().innerText()).toBe("Gọi lại");
    await w.page.goto(`${pano.url}/inbox`);
    expect(await w.page.locator(`#conv-${missed.id} .tag.call-back`).first().innerText()).toBe("Gọi lại");
    expect(sim.plays.some((p) => p.callId === "call-vn-1-MISS")).toBe(false);
  });

  test("call back from the conversation header and the customer panel: the result or the refusal's reason shows beside the button", async () => {
    const missed = await conversationOf("0912555003");
    await w.page.goto(`${pano.url}/inbox?c=${missed.id}`);
    const head = w.page.locator("#conv-head form.dial");
    await head.getByRole("button", { name: "Gọi điện" }).click();
    await head.locator(".call-dial-result.calling").waitFor();
    expect(await head.locator(".dial-result").innerText()).toBe("Đang gọi: máy của bạn sẽ đổ chuông trước, sau đó đến khách hàng.");
    const sent = sim.calls.at(-1)!;
    expect(sent.body.to[0]).toMatchObject({ type: "internal", number: "admin@pano.test", alias: "84912555003" });

    sim.set("refuse");
    const panel = w.page.locator("#contact-pane form.dial, .contact-details form.dial").first();
    await panel.getByRole("button", { name: "Gọi điện" }).click();
    await panel.locator(".call-dial-result.refused").waitFor();
    expect(await panel.locator(".dial-result").innerText()).toBe("Stringee từ chối cuộc gọi: FROM_NUMBER_NOT_FOUND");
    sim.set("ok");
    expect(w.errors).toEqual([]);
  });

  test("after a call the agent tags its outcome in one click: a wrong number clears Gọi lại, a follow-up stays marked; a call still ringing cannot be tagged", async () => {
    const ev = stringeeEvents(`${pano.url}/webhooks/phone/${TOKEN}/events`);
    const shop = { number: SHOP, type: "external" as const };
    const caller = { number: "84912555004", type: "external" as const };
    const at = Date.parse(t(0));
    await ev.post("call-vn-1-OUT1", "ringing", caller, shop, {}, at);
    await ev.post("call-vn-1-OUT1", "ended", caller, shop, { duration: 20, answerDuration: 0, endCallCause: "487 Request Terminated" }, at + 20_000);
    const conv = await conversationOf("0912555004");
    expect(conv.labels).toContain("call-back");
    await w.page.goto(`${pano.url}/inbox?c=${conv.id}`);
    const item = w.page.locator("article.msg.call");
    await item.getByRole("button", { name: "Nhầm số" }).click();
    await item.locator(".chip.chosen", { hasText: "Nhầm số" }).waitFor();
    expect(await item.locator(".call-outcome-by").innerText()).toBe("do Admin ghi nhận");
    expect((await pano.json(`/api/v1/conversations/${conv.id}`)).labels).not.toContain("call-back");
    const call = (await pano.json(`/api/v1/conversations/${conv.id}/messages`)).data.find((m: any) => m.kind === "call");
    expect(call.call.outcome).toBe("wrong_number");

    // Through the API: a follow-up leaves the conversation marked, and it can be changed again.
    const followed = await pano.json(`/api/v1/conversations/${conv.id}/calls/${call.id}/outcome`, { method: "POST", json: { outcome: "follow_up" } });
    expect(followed.call.outcome).toBe("follow_up");
    expect((await pano.json(`/api/v1/conversations/${conv.id}`)).labels).toContain("follow-up");
    const bad = await pano.api(`/api/v1/conversations/${conv.id}/calls/${call.id}/outcome`, { method: "POST", json: { outcome: "great" } });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.code).toBe("validation_failed");

    // A call that still rings has no outcome yet.
    await ev.post("call-vn-1-OUT2", "ringing", caller, shop, {}, at + 60_000);
    const ringing = await eventually(async () => {
      await w.page.goto(`${pano.url}/conversations/${conv.id}`);
      return (await w.page.locator("article.msg.call").count()) === 2 ? await w.page.locator("article.msg.call").last().getAttribute("data-mid") : null;
    }, 10_000, "ringing call in the timeline");
    expect(await w.page.locator(`#msg-${ringing} .call-outcome`).count()).toBe(0);
    const early = await pano.api(`/api/v1/conversations/${conv.id}/calls/${ringing}/outcome`, { method: "POST", json: { outcome: "resolved" } });
    expect(early.status).toBe(422);
    expect((await early.json()).error.message).toContain("not ended");
    expect(w.errors).toEqual([]);
  });
});
