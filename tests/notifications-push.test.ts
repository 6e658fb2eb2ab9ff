// Web Push, against a local push service that checks what a real one checks: Bình turned push on
// on four devices (his phone; an old browser profile the push service has dropped, 410; one
// whose subscription expired, 404; a laptop whose push service hangs). A mention reaches his
// phone with a VAPID JWT that verifies and a payload that decrypts (RFC 8291) to the words and the
// link; the dead subscriptions are removed; the hanging one is cut off without holding up the
// phone. Chi, in the same team as Bình but never mentioned, gets nothing; when a conversation is
// taken from her, her notifications about it vanish and new ones go to its new holder only.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { eventually, runPano, startPano, type PanoProcess } from "./support/pano.ts";
import { addTeam } from "./support/agents.ts";
import { customerWrites, launchBrowser, logIn, openPage } from "./support/browser.ts";
import { PushService, type DeviceSubscription } from "./sim/push-service.ts";

const PASSWORD = "mat-khau-dai-du-8";
let pano: PanoProcess;
let push: PushService;
let browser: Browser;
let channel: string;
let kho: string;
let ban: string;
const ids: Record<string, string> = {};
const pages: Record<string, Page> = {};
let anToken: string;
let ordered: string;

async function person(key: string, name: string, team: string) {
  const email = `${key}@shop.vn`;
  ids[key] = (await pano.json("/api/v1/users", { method: "POST", json: { email, password: PASSWORD, name, role: "agent", team_ids: [team] } })).id;
  const w = await openPage(browser);
  await logIn(w.page, pano, { email, password: PASSWORD });
  pages[key] = w.page;
}

/** What notifications.js does once the browser has subscribed: hands the subscription over. */
async function turnOnPush(page: Page, device: string, sub: DeviceSubscription): Promise<number> {
  return page.evaluate(async ({ sub, device }) => {
    const csrf = document.querySelector("meta[name=csrf-token]")!.getAttribute("content")!;
    const r = await fetch("/notifications/push/subscribe", { method: "POST", headers: { "content-type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify({ ...sub, device }) });
    return r.status;
  }, { sub, device });
}

const devicesPage = (page: Page) => page.evaluate(async () => (await fetch("/notifications/settings")).text());
const bell = (page: Page) => page.evaluate(async () => (await fetch("/notifications/count")).text());

beforeAll(async () => {
  pano = await startPano();
  push = new PushService();
  browser = await launchBrowser();
  channel = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Đơn hàng" } })).id;
  kho = await addTeam(pano, "Kho hàng", "manual");
  ban = await addTeam(pano, "Bán hàng", "manual");
  await person("an", "Nguyễn Văn An", kho);
  await person("binh", "Trần Thị Bình", ban);
  await person("chi", "Hoàng Thị Chi", ban);
  const tok = await runPano(["token", "create", "--name", "an", "--user", "an@shop.vn"], { PANO_DATA_DIR: pano.dataDir });
  anToken = tok.stdout.trim();
  ordered = (await customerWrites(pano, channel, "kh-hoa", "Đơn 1234 thiếu một món", "Phạm Thị Hoa")).conversation_id;
  await pano.json(`/api/v1/conversations/${ordered}`, { method: "PATCH", json: { team_id: kho, assignee_id: ids.an } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await pano?.stop();
  push?.stop();
});

describe("Web Push", () => {
  test("a subscription must be a browser's: https endpoint (http only in tests), P-256 key, 16-byte auth", async () => {
    const page = pages.binh!;
    const bad = await page.evaluate(async () => {
      const csrf = document.querySelector("meta[name=csrf-token]")!.getAttribute("content")!;
      const post = (body: unknown) => fetch("/notifications/push/subscribe", { method: "POST", headers: { "content-type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify(body) }).then(async (r) => [r.status, (await r.json()).error?.message]);
      return [
        await post({ endpoint: "file:///etc/passwd", keys: { p256dh: "x", auth: "y" } }),
        await post({ endpoint: "https://push.example/1", keys: { p256dh: "AAAA", auth: "AAAAAAAAAAAAAAAAAAAAAA" } }),
      ];
    });
    expect(bad[0]).toEqual([422, "endpoint: must be an https URL"]);
    expect(bad[1]![0]).toBe(422);
    expect(bad[1]![1]).toContain("keys.p256dh");
    // Without the page's CSRF token, nobody else's site can add a device to Bình.
    const forged = await page.evaluate(async () => (await fetch("/notifications/push/subscribe", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status);
    expect(forged).toBe(403);
  });

  test("a person keeps at most 20 devices: the 21st replaces the oldest", async () => {
    await person("dung", "Phan Văn Dũng", ban);
    for (let i = 1; i <= 21; i++) expect(await turnOnPush(pages.dung!, `Thiết bị số ${i}.`, push.subscribe(`dung-${i}`))).toBe(201);
    const html = await devicesPage(pages.dung!);
    expect(html).not.toContain("Thiết bị số 1.");
    for (const i of [2, 11, 21]) expect(html).toContain(`Thiết bị số ${i}.`);
    expect(html.match(/Thiết bị số \d+\./g)).toHaveLength(20);
  }, 60_000);

  test("a mention reaches Bình's phone signed and encrypted; dead subscriptions go; a hanging one holds nothing up", async () => {
    expect(await turnOnPush(pages.binh!, "Điện thoại của Bình", push.subscribe("binh-phone"))).toBe(201);
    expect(await turnOnPush(pages.binh!, "Trình duyệt cũ", push.subscribe("binh-old", "gone"))).toBe(201);
    expect(await turnOnPush(pages.binh!, "Máy tính bảng", push.subscribe("binh-expired", "not_found"))).toBe(201);
    expect(await turnOnPush(pages.binh!, "Máy tính xách tay", push.subscribe("binh-laptop", "hang"))).toBe(201);
    expect(await turnOnPush(pages.chi!, "Điện thoại của Chi", push.subscribe("chi-phone"))).toBe(201);

    const r = await fetch(`${pano.url}/api/v1/conversations/${ordered}/messages`, {
      method: "POST", headers: { authorization: `Bearer ${anToken}`, "content-type": "application/json" },
      body: JSON.stringify({ text: "@tran thi binh khách hỏi đơn 1234, em xem giúp", private: true }),
    });
    expect(r.status).toBe(202);

    await eventually(() => push.pushesTo("binh-phone").length === 1, 15_000, "the push to Bình's phone");
    expect(push.refused).toEqual([]);
    const got = push.pushesTo("binh-phone")[0]!;
    expect(got.payload).toMatchObject({ title: "Nguyễn Văn An nhắc đến bạn", body: "@tran thi binh khách hỏi đơn 1234, em xem giúp", tag: `pano-mention-${ordered}` });
    expect((got.payload as { url: string }).url).toMatch(/^\/notifications\/\d+\/open$/);
    expect(got.jwt.aud).toBe(push.url);
    expect(got.ttl).toBe("86400");
    expect(got.urgency).toBe("high");
    // The hanging push service is still holding its request: the phone did not wait for it.
    expect(push.hanging).toBe(1);

    // 404 and 410 remove the subscription; the others stay.
    await eventually(async () => {
      const html = await devicesPage(pages.binh!);
      return html.includes("Điện thoại của Bình") && !html.includes("Trình duyệt cũ") && !html.includes("Máy tính bảng") ? html : null;
    }, 15_000, "404/410 subscriptions pruned");
    // The hang is cut off (10 s) and said on the device's line, without an error anywhere else.
    const settings = await eventually(async () => {
      const html = await devicesPage(pages.binh!);
      return /Máy tính xách tay[\s\S]*took too long/.test(html) ? html : null;
    }, 25_000, "the hanging push service cut off");
    expect(settings).toContain("Máy tính xách tay");

    // Opening the push's link reads the notification and shows the conversation.
    await pages.binh!.goto(`${pano.url}${(got.payload as { url: string }).url}`);
    expect(pages.binh!.url()).toMatch(new RegExp(`/inbox\\?c=${ordered}&m=\\d+#msg-\\d+$`));
    await pages.binh!.locator("#timeline", { hasText: "Đơn 1234 thiếu một món" }).waitFor({ timeout: 10_000 });

    // Chi was not named: nothing on her phone or her bell, and Bình's notification is not hers to open.
    expect(push.pushesTo("chi-phone")).toEqual([]);
    expect(await bell(pages.chi!)).not.toContain("notif-badge");
    const id = /\/notifications\/(\d+)\/open/.exec((got.payload as { url: string }).url)![1];
    await pages.chi!.goto(`${pano.url}/notifications/${id}/open`);
    expect(pages.chi!.url()).toBe(`${pano.url}/notifications?gone=1`);
    expect(await pages.chi!.locator("body").innerText()).not.toContain("Đơn 1234");
    expect(pano.logs()).not.toContain("notification failed");
  }, 90_000);

  test("a conversation taken from Chi: what told her of it is gone, and its next message tells only its new holder", async () => {
    expect(await turnOnPush(pages.an!, "Điện thoại của An", push.subscribe("an-phone"))).toBe(201);
    const lan = (await customerWrites(pano, channel, "kh-lan", "Chào shop", "Vũ Thị Lan")).conversation_id;
    await pano.json(`/api/v1/conversations/${lan}`, { method: "PATCH", json: { team_id: ban, assignee_id: ids.chi } });
    await customerWrites(pano, channel, "kh-lan", "Áo size M còn không ạ?", "Vũ Thị Lan");
    await eventually(() => push.pushesTo("chi-phone").some((p) => (p.payload as { title: string }).title === "Vũ Thị Lan vừa nhắn"), 15_000, "Chi told of Lan's message");
    const chiPanel = () => pages.chi!.evaluate(async () => (await fetch("/notifications/panel")).text());
    expect(await chiPanel()).toContain("Áo size M còn không ạ?");
    const told = push.pushesTo("chi-phone").length;

    // Moved to Kho hàng and to An: Chi no longer sees it, so nothing of it is shown to her.
    await pano.json(`/api/v1/conversations/${lan}`, { method: "PATCH", json: { team_id: kho, assignee_id: ids.an } });
    await eventually(async () => !(await chiPanel()).includes("Vũ Thị Lan"), 10_000, "Chi's notifications about Lan gone");
    expect(await bell(pages.chi!)).not.toContain("notif-badge");

    await customerWrites(pano, channel, "kh-lan", "Mình lấy 2 cái nhé", "Vũ Thị Lan");
    await eventually(() => push.pushesTo("an-phone").some((p) => (p.payload as { body: string }).body === "Mình lấy 2 cái nhé"), 15_000, "An told of the next message");
    expect(push.pushesTo("chi-phone").length).toBe(told);
    expect(push.refused).toEqual([]);
  }, 90_000);

  test("An reads and tunes his notifications through the API: push off for messages still keeps them in his bell", async () => {
    const api = (path: string, init: RequestInit = {}) => fetch(`${pano.url}/api/v1${path}`, { ...init, headers: { authorization: `Bearer ${anToken}`, "content-type": "application/json" } });
    const list = await (await api("/notifications")).json();
    const message = list.data.find((n: { kind: string }) => n.kind === "message");
    expect(message).toMatchObject({ read_at: null, data: { contact: "Vũ Thị Lan", preview: "Mình lấy 2 cái nhé", count: 1 } });
    expect(list.unread).toBeGreaterThanOrEqual(2);
    const read = await (await api(`/notifications/${message.id}/read`, { method: "POST" })).json();
    expect(read.read_at).not.toBeNull();
    expect((await api("/notifications/999999/read", { method: "POST" })).status).toBe(404);
    expect((await api("/notifications/settings", { method: "PUT", body: JSON.stringify({ message: { push: false }, channel: { push: false } }) })).status).toBe(422);
    const prefs = await (await api("/notifications/settings", { method: "PUT", body: JSON.stringify({ message: { push: false } }) })).json();
    expect(prefs.message).toEqual({ in_app: true, browser: true, push: false });
    const pushed = push.pushesTo("an-phone").length;
    const lan = message.conversation_id;
    await customerWrites(pano, channel, "kh-lan", "À thêm 1 cái quần nữa", "Vũ Thị Lan");
    const again = await eventually(async () => {
      const l = await (await api("/notifications?unread=true")).json();
      return l.data.find((n: { kind: string; conversation_id: string }) => n.kind === "message" && n.conversation_id === lan);
    }, 15_000, "the new message in An's bell");
    expect(again.data).toMatchObject({ preview: "À thêm 1 cái quần nữa", count: 1 });
    expect(push.pushesTo("an-phone").length).toBe(pushed);
  }, 60_000);
});
