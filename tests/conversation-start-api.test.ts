// Stories of an agent writing first (POST /api/v1/conversations): each kind of channel says whether
// it can reach this customer now (GET /api/v1/conversations/reach, what "New message" shows before
// anyone types) and, when it cannot, the API answers 422 naming the reason; when it can, the
// conversation comes back 202 with its first message queued, and the provider gets it.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { refusedPort } from "./support/refused-port.ts";
import { startZaloSim, type ZaloSim } from "./sim/zalo.ts";
import { attachZns, type ZnsSim } from "./sim/zalo-zns.ts";
import { startFacebookSim } from "./sim/facebook.ts";
import { stringeeApi } from "./sim/stringee.ts";
import { addAgent, addTeam } from "./support/agents.ts";

const DAY = 24 * 3600_000;
let pano: PanoProcess;
let zalo: ZaloSim;
let zns: ZnsSim;
let fb: Awaited<ReturnType<typeof startFacebookSim>>;
let smtp: SmtpPeer;
let stringee: ReturnType<typeof stringeeApi>;
let imapDown: Awaited<ReturnType<typeof refusedPort>>;
const ch: Record<string, string> = {};

beforeAll(async () => {
  zalo = await startZaloSim();
  zns = attachZns(zalo);
  fb = await startFacebookSim({ pageId: "112233445566778", appSecret: "fb-app-secret-0123", pageToken: "EAAGsimulatedtoken" });
  smtp = await startSmtpPeer();
  stringee = stringeeApi("SKsim", "bi-mat-stringee-0123");
  imapDown = await refusedPort();
  pano = await startPano({
    env: { PANO_ZALO_API_URL: zalo.url, PANO_ZALO_OAUTH_URL: zalo.url, PANO_ZALO_ZNS_URL: zalo.url, PANO_FACEBOOK_GRAPH_URL: fb.url, PANO_STRINGEE_API_URL: stringee.url, PANO_RETRY_BASE_MS: "100" },
  });
  zalo.setPano(pano.url);
  fb.setPano(pano.url);
  const make = async (type: string, name: string, config: Record<string, unknown>) => (ch[type] = (await pano.json("/api/v1/channels", { method: "POST", json: { type, name, config } })).id);
  await make("zalo", "Zalo OA", zalo.channelConfig());
  await make("facebook", "Fanpage", { page_id: "112233445566778", page_access_token: "EAAGsimulatedtoken", app_secret: "fb-app-secret-0123", verify_token: "verify-me" });
  await make("email", "Hộp thư", {
    imap: { host: "127.0.0.1", port: imapDown.port, secure: false, user: "shop@pano.test", password: "x" }, smtp: smtp.smtpConfig(), from_address: "shop@pano.test", from_name: "Shop Hoa Mai",
  });
  await make("phone", "Tổng đài", { provider: "stringee", numbers: ["842873000002"], api_key_sid: "SKsim", api_key_secret: "bi-mat-stringee-0123" });
  await make("web_chat", "Website", { allowed_origins: ["https://shop.example"] });
  await make("api", "Đơn hàng", {});
}, 60_000);

afterAll(async () => {
  await pano?.stop();
  await zalo?.stop();
  await fb?.stop();
  await smtp?.stop();
  stringee?.stop();
  imapDown?.close();
});

/** A customer known from the shop's order system (the api channel), with whatever details it sent. */
async function customer(ext: string, details: { name?: string; email?: string; phone?: string } = {}) {
  const r = await pano.json(`/api/v1/channels/${ch.api}/inbound`, {
    method: "POST", json: { external_contact_id: ext, external_message_id: `${ext}-1`, text: "Đặt hàng qua website", contact_name: details.name, email: details.email, phone: details.phone },
  });
  return r.contact_id as string;
}

/** The contact of a customer who wrote on a channel (their id there), once stored. */
const contactOf = (externalId: string) => eventually(async () => (await pano.json(`/api/v1/contacts?q=${externalId}`)).data[0], 5000, `the contact of ${externalId}`);

/** Starts a conversation that the channel accepts, and waits for its first message to reach one of these statuses. */
async function startedAndSent(body: Record<string, unknown>, statuses: string[]) {
  const r = await start(body);
  expect(r.status).toBe(202);
  const conv = await r.json();
  await messageOf(conv.id, conv.message.id, statuses);
  return conv;
}

const start = (body: Record<string, unknown>) => pano.api("/api/v1/conversations", { method: "POST", json: body });
const reach = async (contactId: string) => (await pano.json(`/api/v1/conversations/reach?contact_id=${contactId}`)).data as any[];
const channelSays = async (contactId: string, channelId: string) => (await reach(contactId)).find((r) => r.channel_id === channelId);
const messageOf = (convId: string, id: string, statuses: string[]) =>
  eventually(async () => {
    const m = (await pano.json(`/api/v1/conversations/${convId}/messages?limit=100`)).data.find((x: any) => x.id === id);
    return m && statuses.includes(m.status) ? m : null;
  }, 15_000, `message ${id} to become ${statuses.join("/")}`);

async function refused(body: Record<string, unknown>, code: string) {
  const r = await start(body);
  expect(r.status).toBe(422);
  const e = (await r.json()).error;
  expect(e.code).toBe(code);
  expect(e.message.length).toBeGreaterThan(10);
  return e.message as string;
}

describe("email", () => {
  test("a new mail with a subject starts its own thread and reaches the customer's mailbox", async () => {
    const id = await customer("kh-mail", { name: "Trần Thị Mai", email: "mai@khach.vn" });
    expect(await channelSays(id, ch.email)).toMatchObject({ can_start: true, form: "mail" });
    const r = await start({ contact_id: id, channel_id: ch.email, subject: "Đơn hàng DH1024 đã sẵn sàng", text: "Chào chị Mai,\n\nĐơn hàng của chị đã sẵn sàng giao." });
    expect(r.status).toBe(202);
    const conv = await r.json();
    expect(conv).toMatchObject({ channel_id: ch.email, contact_id: id, subject: "Đơn hàng DH1024 đã sẵn sàng", status: "pending" });
    expect(conv.message).toMatchObject({ status: "queued", direction: "out", text: expect.stringContaining("sẵn sàng giao") });
    await messageOf(conv.id, conv.message.id, ["sent"]);
    const mail = await eventually(() => smtp.received.find((m) => m.to.includes("mai@khach.vn")), 10_000, "the mail");
    expect(mail.parsed.subject).toBe("Đơn hàng DH1024 đã sẵn sàng");
    expect(mail.parsed.text).toContain("Đơn hàng của chị đã sẵn sàng giao");
    // A second mail is a second thread, not an addition to the first.
    const again = await (await start({ contact_id: id, channel_id: ch.email, subject: "Khảo sát sau mua hàng", text: "Chị chấm điểm giúp shop nhé" })).json();
    expect(again.id).not.toBe(conv.id);
  });

  test("no address, no subject: 422 with the reason", async () => {
    const id = await customer("kh-no-mail", { name: "Lê Văn Nam" });
    expect(await channelSays(id, ch.email)).toMatchObject({ can_start: false, code: "no_email" });
    await refused({ contact_id: id, channel_id: ch.email, subject: "Chào anh", text: "..." }, "no_email");
    const withMail = await customer("kh-mail-2", { email: "nam@khach.vn" });
    await refused({ contact_id: withMail, channel_id: ch.email, text: "Thiếu tiêu đề" }, "subject_required");
  });
});

describe("zalo", () => {
  test("inside the 7-day window: a consultation message in the customer's conversation", async () => {
    const user = zalo.addUser(undefined, { display_name: "Nguyễn Thị Lan" });
    await zalo.userSays(user, "Shop ơi áo còn không?");
    const contact = await contactOf(user);
    expect(await channelSays(contact.id, ch.zalo)).toMatchObject({ can_start: true, form: "text" });
    const conv = await startedAndSent({ contact_id: contact.id, channel_id: ch.zalo, text: "Dạ còn ạ, chị lấy size nào?" }, ["sent", "delivered"]);
    expect(conv.id).toBe(contact.conversation_ids[0]);
    expect(zalo.sent.find((s) => s.user_id === user)?.message).toEqual({ text: "Dạ còn ạ, chị lấy size nào?" });
  });

  test("after 7 days, or never on Zalo: 422 says why, and that ZNS needs a phone or templates", async () => {
    const user = zalo.addUser(undefined, { display_name: "Phạm Thu Hà" });
    await zalo.deliver({ ...zalo.events.userText(user, "Cho em hỏi"), timestamp: String(Date.now() - 8 * DAY) });
    const contact = await contactOf(user);
    const said = await channelSays(contact.id, ch.zalo);
    expect(said).toMatchObject({ can_start: false, code: "outside_window" });
    expect(said.reason).toContain("7 ngày");
    expect(said.reason).toContain("chưa có số điện thoại");
    const msg = await refused({ contact_id: contact.id, channel_id: ch.zalo, text: "Chào chị" }, "outside_window");
    expect(msg).toContain("7");
    expect(zalo.sendCalls().filter((r) => (r.body as any)?.recipient?.user_id === user)).toHaveLength(0);
    // Someone who never wrote to the OA but has a phone: only ZNS, and the OA has no synced templates yet.
    const stranger = await customer("kh-zalo-new", { name: "Đỗ Minh", phone: "0987 111 222" });
    const strangerSaid = await channelSays(stranger, ch.zalo);
    expect(strangerSaid).toMatchObject({ can_start: false, code: "never_wrote" });
    expect(strangerSaid.reason).toContain("chưa có mẫu ZNS");
  });
});

describe("facebook", () => {
  test("inside 24 h a message goes; after it (no HUMAN_AGENT) and to someone who never wrote, 422", async () => {
    const psid = "7000000000000101";
    await fb.customerSays(psid, "Shop ơi", { timestamp: Date.now() - 3600_000 });
    const contact = await contactOf(psid);
    expect(await channelSays(contact.id, ch.facebook)).toMatchObject({ can_start: true, form: "text" });
    const conv = await startedAndSent({ contact_id: contact.id, channel_id: ch.facebook, text: "Dạ shop đây ạ" }, ["sent", "delivered", "read"]);
    expect(conv.id).toBe(contact.conversation_ids[0]);
    expect(fb.sendCalls().at(-1)?.body).toMatchObject({ recipient: { id: psid }, messaging_type: "RESPONSE", message: { text: "Dạ shop đây ạ" } });

    const late = "7000000000000102";
    await fb.customerSays(late, "Còn hàng không?", { timestamp: Date.now() - 3 * DAY });
    const lateContact = await contactOf(late);
    await refused({ contact_id: lateContact.id, channel_id: ch.facebook, text: "Chào bạn" }, "human_agent_not_enabled");
    const stranger = await customer("kh-fb-new", { name: "Vũ Lan" });
    await refused({ contact_id: stranger, channel_id: ch.facebook, text: "Chào bạn" }, "never_wrote");
  });
});

describe("phone", () => {
  test("a call: the agent's phone rings first, then the customer's; no phone number, 422", async () => {
    const id = await customer("kh-call", { name: "Hoàng Văn Tú", phone: "0912 333 444" });
    expect(await channelSays(id, ch.phone)).toMatchObject({ can_start: true, form: "call" });
    const r = await start({ contact_id: id, channel_id: ch.phone });
    expect(r.status).toBe(202);
    const conv = await r.json();
    await messageOf(conv.id, conv.message.id, ["sent"]);
    const placed = stringee.calls.at(-1)!;
    expect(placed.body.to).toEqual([{ type: "internal", number: "admin@pano.test", alias: "84912333444" }]);
    expect(placed.body.actions[0]).toMatchObject({ action: "connect", to: { type: "external", number: "84912333444" } });
    const none = await customer("kh-call-none", { name: "Không số" });
    await refused({ contact_id: none, channel_id: ch.phone }, "no_phone");
  });
});

describe("web_chat", () => {
  test("only while the visitor has the chat open", async () => {
    const widget = (await pano.json(`/api/v1/channels/${ch.web_chat}`)).widget_token;
    const visitor = (path: string, init: RequestInit & { sess?: string; json?: unknown } = {}) =>
      fetch(`${pano.url}/chat/api/${path}`, {
        ...init, body: init.json ? JSON.stringify(init.json) : init.body,
        headers: { origin: pano.url, "content-type": "application/json", ...(init.sess ? { "x-pano-session": init.sess } : {}) },
      });
    const { session } = await (await visitor("session", { method: "POST", json: { token: widget, origin: "https://shop.example" } })).json();
    await visitor("messages", { method: "POST", sess: session, json: { client_id: crypto.randomUUID().replace(/-/g, ""), text: "Cho mình hỏi giờ mở cửa" } });
    const convs = await eventually(async () => (await pano.json(`/api/v1/conversations?channel_id=${ch.web_chat}&status=all`)).data, 5000, "the visitor's conversation");
    const contactId = convs[0].contact_id;
    // The visitor closed the chat: nobody would read it now.
    expect(await channelSays(contactId, ch.web_chat)).toMatchObject({ can_start: false, code: "visitor_not_connected" });
    await refused({ contact_id: contactId, channel_id: ch.web_chat, text: "Bạn còn đó không?" }, "visitor_not_connected");
    // The visitor opens the chat again: the agent may write first.
    const live = new AbortController();
    const stream = await fetch(`${pano.url}/chat/api/live`, { headers: { origin: pano.url, "x-pano-session": session }, signal: live.signal });
    const reader = stream.body!.getReader();
    await reader.read(); // hello
    try {
      await eventually(async () => (await channelSays(contactId, ch.web_chat)).can_start, 5000, "the open widget");
      const r = await start({ contact_id: contactId, channel_id: ch.web_chat, text: "Shop mở cửa 8h–21h bạn nhé" });
      expect(r.status).toBe(202);
    } finally {
      live.abort();
    }
  });
});

describe("the API's own rules", () => {
  test("an agent writes first only to customers she may see, and the conversation she starts is hers", async () => {
    const sales = await addTeam(pano, "Bán hàng");
    const warranty = await addTeam(pano, "Bảo hành");
    const lan = await addAgent(pano, "lan@shop.vn", [sales]);
    const mine = await customer("kh-lan", { name: "Khách của Lan", email: "khach-lan@khach.vn" });
    const theirs = await customer("kh-bh", { name: "Khách bảo hành", email: "khach-bh@khach.vn" });
    const convOf = async (id: string) => (await pano.json(`/api/v1/contacts/${id}`)).conversation_ids[0];
    await pano.json(`/api/v1/conversations/${await convOf(mine)}`, { method: "PATCH", json: { team_id: sales } });
    await pano.json(`/api/v1/conversations/${await convOf(theirs)}`, { method: "PATCH", json: { team_id: warranty } });
    const as = (body: Record<string, unknown>) => pano.api("/api/v1/conversations", { method: "POST", json: body, headers: { authorization: `Bearer ${lan.token}` } });
    const hidden = await as({ contact_id: theirs, channel_id: ch.email, subject: "Chào chị", text: "Shop gửi chị" });
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(await hidden.json())).not.toContain("khach-bh");
    expect((await pano.api(`/api/v1/conversations/reach?contact_id=${theirs}`, { headers: { authorization: `Bearer ${lan.token}` } })).status).toBe(404);
    const ok = await as({ contact_id: mine, channel_id: ch.email, subject: "Đơn của chị", text: "Shop gửi chị" });
    expect(ok.status).toBe(202);
    expect((await ok.json()).assignee_id).toBe(String(lan.id));
  });


  test("seeing a customer through one conversation does not let an agent write into another team's open one", async () => {
    const shop = await addTeam(pano, "Cửa hàng");
    const care = await addTeam(pano, "Chăm sóc");
    const hoa = await addAgent(pano, "hoa@shop.vn", [shop]);
    // The customer wrote on Zalo (the care team's conversation) and ordered on the website (the shop team's).
    const user = zalo.addUser(undefined, { display_name: "Đỗ Thị Hằng" });
    await zalo.userSays(user, "Shop ơi đơn của em giao chưa?");
    const onZalo = await contactOf(user);
    const zaloConv = onZalo.conversation_ids[0];
    await pano.json(`/api/v1/conversations/${zaloConv}`, { method: "PATCH", json: { team_id: care } });
    const ordered = await customer("kh-hang", { name: "Đỗ Thị Hằng" });
    await pano.json(`/api/v1/conversations/${(await pano.json(`/api/v1/contacts/${ordered}`)).conversation_ids[0]}`, { method: "PATCH", json: { team_id: shop } });
    await pano.json(`/api/v1/contacts/${onZalo.id}/merge`, { method: "POST", json: { other_id: ordered } });
    const as = { authorization: `Bearer ${hoa.token}` };
    expect((await pano.api(`/api/v1/contacts/${onZalo.id}`, { headers: as })).status).toBe(200);
    const before = (await pano.json(`/api/v1/conversations/${zaloConv}/messages?limit=100`)).data.length;
    const r = await pano.api("/api/v1/conversations", { method: "POST", json: { contact_id: onZalo.id, channel_id: ch.zalo, text: "Dạ shop kiểm tra đơn cho chị" }, headers: as });
    expect(r.status).toBe(422);
    const body = await r.json();
    expect(body.error.code).toBe("conversation_hidden");
    expect(JSON.stringify(body)).not.toContain(zaloConv);
    expect((await pano.json(`/api/v1/conversations/${zaloConv}/messages?limit=100`)).data.length).toBe(before);
    // Someone of the care team (here the admin) still writes there, in that same conversation.
    expect((await startedAndSent({ contact_id: onZalo.id, channel_id: ch.zalo, text: "Dạ đơn của chị đang giao ạ" }, ["sent", "delivered"])).id).toBe(zaloConv);
  });

  test("a channel that only answers (api), an unknown contact or channel, a missing field", async () => {
    const id = await customer("kh-api", { name: "Khách API" });
    expect(await channelSays(id, ch.api)).toMatchObject({ can_start: false, code: "no_outreach" });
    await refused({ contact_id: id, channel_id: ch.api, text: "Xin chào" }, "no_outreach");
    expect((await start({ contact_id: "999999", channel_id: ch.email, text: "x" })).status).toBe(404);
    expect((await start({ contact_id: id, channel_id: "999999", text: "x" })).status).toBe(422);
    const bad = await start({ channel_id: ch.email, text: "x" });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.code).toBe("validation_failed");
  });
});
