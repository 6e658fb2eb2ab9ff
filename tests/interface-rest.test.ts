// The REST API as docs/interface.md promises it: an integration that only read that page can
// connect a channel, post customer messages, work the queue, page through every list, and
// always get the documented error shape back.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { join } from "node:path";
import { startPano, runPano, eventually, type PanoProcess, openDatabaseOf } from "./support/pano.ts";
import { startReceiver } from "./support/receiver.ts";
import { pendingSends } from "./support/outbox.ts";

let pano: PanoProcess;
let channelId: string;

const CHANNEL_KEYS = ["created_at", "id", "name", "status", "status_detail", "type"];
const CONVERSATION_KEYS = ["assignee_id", "channel_id", "contact_id", "created_at", "first_response_at", "id", "intent", "labels", "last_message_at", "priority", "resolved_at", "status", "subject", "team_id"];
const MESSAGE_KEYS = ["attachments", "author", "conversation_id", "created_at", "direction", "external_id", "id", "private", "status", "text"];
const CONTACT_KEYS = ["attributes", "avatar_url", "conversation_ids", "created_at", "email", "id", "identities", "name", "phone"];
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

const inbound = (body: Record<string, unknown>, ch = channelId) => pano.api(`/api/v1/channels/${ch}/inbound`, { method: "POST", json: body });
async function customerSays(contact: string, msgId: string, text: string, extra: Record<string, unknown> = {}) {
  const r = await inbound({ external_contact_id: contact, external_message_id: msgId, text, ...extra });
  expect(r.status).toBe(202);
  return (await r.json()) as { message_id: string; conversation_id: string; contact_id: string };
}

/** Every documented error: the status, and {"error":{"code":"<snake_case>","message":"..."}}. */
async function expectError(r: Response, status: number, code?: string) {
  expect(r.status).toBe(status);
  expect(r.headers.get("content-type")).toContain("application/json");
  const body = await r.json();
  expect(body.error.code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  expect(body.error.message).toBeString();
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(JSON.stringify(body)).not.toMatch(/\bat \S+:\d+|node_modules|\.ts:\d+/);
  if (code) expect(body.error.code).toBe(code);
  return body.error as { code: string; message: string };
}

/** JSON fields are snake_case all the way down (a contact's own attributes are the caller's). */
function expectSnakeCase(v: unknown, path = "$"): void {
  if (Array.isArray(v)) return v.forEach((x, i) => expectSnakeCase(x, `${path}[${i}]`));
  if (!v || typeof v !== "object") return;
  for (const [k, x] of Object.entries(v)) {
    expect(`${path}.${k}`).toMatch(/\.[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    if (k !== "attributes") expectSnakeCase(x, `${path}.${k}`);
  }
}

/** Follows next_cursor to the end; every page is {data, next_cursor} and never larger than asked. */
async function walk(path: string, limit?: number): Promise<any[]> {
  const all: any[] = [];
  let cursor: string | null = null;
  const sep = path.includes("?") ? "&" : "?";
  for (let pages = 0; pages < 100; pages++) {
    const q: string = [limit ? `limit=${limit}` : "", cursor ? `cursor=${encodeURIComponent(cursor)}` : ""].filter(Boolean).join("&");
    const page: { data: any[]; next_cursor: string | null } = await pano.json(q ? `${path}${sep}${q}` : path);
    expect(Object.keys(page).sort()).toEqual(["data", "next_cursor"]);
    expect(page.data.length).toBeLessThanOrEqual(limit ?? 25);
    expectSnakeCase(page.data);
    all.push(...page.data);
    if (page.next_cursor === null) return all;
    expect(page.next_cursor).toBeString();
    cursor = page.next_cursor;
  }
  throw new Error(`${path}: more than 100 pages`);
}

beforeAll(async () => {
  pano = await startPano();
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website chat" } });
  channelId = ch.id;
});
afterAll(async () => {
  await pano.stop();
});

describe("channels", () => {
  test("an admin connects, reads, renames and removes an API channel; its secret never comes back", async () => {
    const secret = "bi-mat-callback-42";
    const created = await pano.api("/api/v1/channels", { method: "POST", json: { type: "api", name: "Ứng dụng đặt hàng", config: { callback_url: "http://127.0.0.1:9/hook", callback_secret: secret } } });
    expect(created.status).toBe(201);
    const ch = await created.json();
    expect(Object.keys(ch).sort()).toEqual(CHANNEL_KEYS);
    expect(ch).toMatchObject({ type: "api", name: "Ứng dụng đặt hàng", status: "active", status_detail: null });
    expect(ch.id).toBeString();
    expect(ch.created_at).toMatch(ISO);

    const read = await pano.json(`/api/v1/channels/${ch.id}`);
    expect(read).toEqual(ch);
    const renamed = await pano.json(`/api/v1/channels/${ch.id}`, { method: "PATCH", json: { name: "Ứng dụng mới", config: { callback_secret: "bi-mat-moi" } } });
    expect(renamed).toMatchObject({ id: ch.id, name: "Ứng dụng mới" });
    const listed = await walk("/api/v1/channels");
    expect(listed.find((c) => c.id === ch.id)).toMatchObject({ name: "Ứng dụng mới" });
    for (const body of [JSON.stringify(read), JSON.stringify(renamed), JSON.stringify(listed)]) {
      expect(body).not.toContain(secret);
      expect(body).not.toContain("bi-mat-moi");
      expect(body).not.toContain("callback_secret");
    }

    const removed = await pano.api(`/api/v1/channels/${ch.id}`, { method: "DELETE" });
    expect(removed.status).toBeLessThan(300);
    await expectError(await pano.api(`/api/v1/channels/${ch.id}`), 404, "not_found");
    await expectError(await inbound({ external_contact_id: "x", external_message_id: "y", text: "z" }, ch.id), 404, "not_found");
  });

  test("a channel of an unknown type, or with a bad config, is 422 naming the field", async () => {
    const t = await expectError(await pano.api("/api/v1/channels", { method: "POST", json: { type: "fax", name: "Fax" } }), 422, "validation_failed");
    expect(t.message).toContain("type");
    const cfg = await expectError(await pano.api("/api/v1/channels", { method: "POST", json: { type: "api", name: "x", config: { callback_url: "không phải url" } } }), 422);
    expect(cfg.message).toContain("callback_url");
    const fb = await expectError(await pano.api("/api/v1/channels", { method: "POST", json: { type: "facebook", name: "Page", config: { page_id: "123" } } }), 422);
    expect(fb.message).toContain("page_access_token");
  });
});

describe("the API channel's inbound endpoint", () => {
  test("202 with string ids; the same external_message_id again is 200 with the same ids and nothing new", async () => {
    const body = { external_contact_id: "kh-inbound", contact_name: "Phạm Minh Đức", external_message_id: "inb-1", text: "Cho em hỏi phí ship?", email: "duc@example.vn", phone: "0987654321" };
    const first = await inbound(body);
    expect(first.status).toBe(202);
    const ids = await first.json();
    expect(Object.keys(ids).sort()).toEqual(["contact_id", "conversation_id", "message_id"]);
    for (const v of Object.values(ids)) expect(v).toBeString();
    const again = await inbound({ ...body, text: "khác đi" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(ids);
    const msgs = await walk(`/api/v1/conversations/${ids.conversation_id}/messages`);
    expect(msgs.map((m) => m.text)).toEqual(["Cho em hỏi phí ship?"]);
    const contact = await pano.json(`/api/v1/contacts/${ids.contact_id}`);
    expect(contact).toMatchObject({ name: "Phạm Minh Đức", email: "duc@example.vn", phone: "0987654321" });
  });

  test("bad input: malformed JSON 400, missing field 422, unknown channel 404, no or wrong token 401", async () => {
    await expectError(await pano.api(`/api/v1/channels/${channelId}/inbound`, { method: "POST", body: '{"text": "thiếu ngoặc"', headers: { "content-type": "application/json" } }), 400);
    const missing = await expectError(await inbound({ external_contact_id: "x", text: "không có id" }), 422, "validation_failed");
    expect(missing.message).toContain("external_message_id");
    await expectError(await inbound({ external_contact_id: "x", external_message_id: "y", text: "z" }, "987654"), 404, "not_found");
    await expectError(await fetch(`${pano.url}/api/v1/channels/${channelId}/inbound`, { method: "POST", body: "{}" }), 401, "unauthorized");
    await expectError(await pano.api("/api/v1/conversations", { headers: { authorization: "Bearer pano_not_a_real_token" } }), 401, "unauthorized");
    await expectError(await pano.api("/api/v1/conversations", { headers: { authorization: "Basic YWRtaW46YWRtaW4=" } }), 401, "unauthorized");
  });
});

describe("conversations", () => {
  test("a conversation has every documented field and each PATCH field changes it", async () => {
    const team = await pano.json("/api/v1/teams", { method: "POST", json: { name: "Chăm sóc khách hàng" } });
    const me = (await walk("/api/v1/users")).find((u) => u.role === "admin");
    const ids = await customerSays("kh-patch", "p-1", "Em muốn đổi size áo");
    const conv = await pano.json(`/api/v1/conversations/${ids.conversation_id}`);
    expect(Object.keys(conv)).toEqual(expect.arrayContaining(CONVERSATION_KEYS));
    expect(conv).toMatchObject({ id: ids.conversation_id, channel_id: channelId, contact_id: ids.contact_id, status: "open", assignee_id: null, team_id: null, priority: "normal", labels: [] });
    expect(conv.created_at).toMatch(ISO);
    expect(conv.last_message_at).toMatch(ISO);

    const patched = await pano.json(`/api/v1/conversations/${conv.id}`, {
      method: "PATCH",
      json: { status: "pending", assignee_id: me.id, team_id: team.id, priority: "high", labels: ["doi-hang"], intent: "support_request" },
    });
    expect(patched).toMatchObject({ status: "pending", assignee_id: me.id, team_id: team.id, priority: "high", labels: ["doi-hang"], intent: "support_request" });
    expect(await pano.json(`/api/v1/conversations/${conv.id}`)).toMatchObject({ status: "pending", priority: "high" });

    const resolved = await pano.json(`/api/v1/conversations/${conv.id}`, { method: "PATCH", json: { status: "resolved", assignee_id: null, team_id: null, intent: null } });
    expect(resolved).toMatchObject({ status: "resolved", assignee_id: null, team_id: null, intent: null });
    expect(resolved.resolved_at).toMatch(ISO);
  });

  test("an invalid PATCH value is 422 naming the field", async () => {
    const { conversation_id } = await customerSays("kh-invalid", "i-1", "Alo");
    const bad: Record<string, unknown>[] = [{ status: "closed" }, { priority: "sky-high" }, { intent: "spam" }, { labels: "vip" }, { assignee_id: "99999" }, { team_id: "99999" }];
    for (const body of bad) {
      const field = Object.keys(body)[0];
      const e = await expectError(await pano.api(`/api/v1/conversations/${conversation_id}`, { method: "PATCH", json: body }), 422, "validation_failed");
      expect(e.message).toContain(field);
    }
    await expectError(await pano.api("/api/v1/conversations/99999999", { method: "PATCH", json: { status: "open" } }), 404, "not_found");
  });

  test("each list filter narrows the queue to what it names", async () => {
    const other = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Kênh lọc" } });
    const team = await pano.json("/api/v1/teams", { method: "POST", json: { name: "Nhóm lọc" } });
    const me = (await walk("/api/v1/users")).find((u) => u.role === "admin");
    const say = async (who: string, text: string, extra: Record<string, unknown> = {}) =>
      (await (await inbound({ external_contact_id: who, external_message_id: `${who}-1`, text, ...extra }, other.id)).json()).conversation_id as string;
    const a = await say("loc-a", "Tôi cần hỗ trợ", { contact_name: "Nguyễn Thị Hồng" });
    const b = await say("loc-b", "Giá bao nhiêu?");
    const c = await say("loc-c", "Hàng bị vỡ");
    await pano.json(`/api/v1/conversations/${a}`, { method: "PATCH", json: { assignee_id: me.id, labels: ["vip"], priority: "urgent", intent: "complaint" } });
    await pano.json(`/api/v1/conversations/${b}`, { method: "PATCH", json: { team_id: team.id, status: "pending", intent: "product_question" } });
    await pano.json(`/api/v1/conversations/${c}`, { method: "PATCH", json: { status: "resolved", priority: "low" } });

    const ids = async (q: string) => (await walk(`/api/v1/conversations?channel_id=${other.id}&${q}`)).map((x) => x.id).sort();
    expect(await ids("")).toEqual([a]); // default status is open
    expect(await ids("status=all")).toEqual([a, b, c].sort());
    expect(await ids("status=pending")).toEqual([b]);
    expect(await ids("status=resolved")).toEqual([c]);
    expect(await ids("status=snoozed")).toEqual([]);
    expect(await ids("status=all&assignee_id=me")).toEqual([a]);
    expect(await ids(`status=all&assignee_id=${me.id}`)).toEqual([a]);
    expect(await ids("status=all&assignee_id=none")).toEqual([b, c].sort());
    expect(await ids(`status=all&team_id=${team.id}`)).toEqual([b]);
    expect(await ids("status=all&label=vip")).toEqual([a]);
    expect(await ids("status=all&intent=product_question")).toEqual([b]);
    expect(await ids("status=all&priority=urgent")).toEqual([a]);
    expect(await ids(`status=all&q=${encodeURIComponent("nguyen thi hong")}`)).toEqual([a]);
    expect(await ids(`status=all&q=${encodeURIComponent("Hồng")}`)).toEqual([a]);
    for (const [q, field] of [["status=closed", "status"], ["priority=sky", "priority"], ["intent=spam", "intent"], ["assignee_id=somebody", "assignee_id"], ["limit=0", "limit"], ["cursor=rubbish", "cursor"]]) {
      const e = await expectError(await pano.api(`/api/v1/conversations?${q}`), 422, "validation_failed");
      expect(e.message).toContain(field);
    }
  });
});

describe("messages", () => {
  test("a conversation's messages come oldest first with every field; a reply is 202 queued, a note is private", async () => {
    const { conversation_id, contact_id } = await customerSays("kh-msgs", "mm-1", "Shop ơi");
    await customerSays("kh-msgs", "mm-2", "Còn hàng không ạ?");
    const reply = await pano.api(`/api/v1/conversations/${conversation_id}/messages`, { method: "POST", json: { text: "Dạ còn ạ" } });
    expect(reply.status).toBe(202);
    const r = await reply.json();
    expect(r).toMatchObject({ conversation_id, direction: "out", private: false, text: "Dạ còn ạ", status: "queued", author: { type: "user" } });
    const noteRes = await pano.api(`/api/v1/conversations/${conversation_id}/messages`, { method: "POST", json: { text: "Khách quen", private: true } });
    expect(noteRes.status).toBe(202);
    const note = await noteRes.json();
    expect(note.private).toBe(true);

    const msgs = await walk(`/api/v1/conversations/${conversation_id}/messages`);
    expect(msgs.map((m) => m.text)).toEqual(["Shop ơi", "Còn hàng không ạ?", "Dạ còn ạ", "Khách quen"]);
    for (const m of msgs) {
      expect(Object.keys(m)).toEqual(expect.arrayContaining(MESSAGE_KEYS));
      expect(m.created_at).toMatch(ISO);
      expect(["received", "queued", "sent", "delivered", "read", "failed"]).toContain(m.status);
    }
    expect(msgs[0]).toMatchObject({ direction: "in", private: false, author: { type: "contact", id: contact_id }, status: "received", external_id: "mm-1", attachments: [] });
    const empty = await expectError(await pano.api(`/api/v1/conversations/${conversation_id}/messages`, { method: "POST", json: { text: "" } }), 422);
    expect(empty.message).toContain("text");
  });

  test("messages page oldest first through next_cursor", async () => {
    let conv = "";
    for (let i = 1; i <= 7; i++) conv = (await customerSays("kh-pages", `pg-${i}`, `tin ${i}`)).conversation_id;
    const all = await walk(`/api/v1/conversations/${conv}/messages`, 3);
    expect(all.map((m) => m.text)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `tin ${i}`));
  });
});

describe("paging", () => {
  test("lists default to 25, cap limit at 100, and next_cursor walks every row exactly once", async () => {
    const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Nhiều khách" } });
    await Promise.all(
      Array.from({ length: 105 }, (_, i) => inbound({ external_contact_id: `many-${i}`, contact_name: `Khách số ${i}`, external_message_id: `many-${i}`, text: "Xin chào" }, ch.id).then((r) => expect(r.status).toBe(202))),
    );
    const q = `/api/v1/conversations?channel_id=${ch.id}`;
    const first = await pano.json(q);
    expect(first.data).toHaveLength(25);
    expect(first.next_cursor).toBeString();
    const capped = await pano.json(`${q}&limit=1000`);
    expect(capped.data).toHaveLength(100);
    const walked = await walk(q, 40);
    expect(walked).toHaveLength(105);
    expect(new Set(walked.map((c) => c.id)).size).toBe(105);

    const contacts = await walk(`/api/v1/contacts?q=${encodeURIComponent("khach so")}`, 30);
    expect(new Set(contacts.map((c) => c.name))).toEqual(new Set(Array.from({ length: 105 }, (_, i) => `Khách số ${i}`)));
    expect((await pano.json("/api/v1/contacts?limit=500")).data.length).toBeLessThanOrEqual(100);
  });

  test("channels, users, teams and canned replies page like every list", async () => {
    for (let i = 0; i < 3; i++) await pano.json("/api/v1/teams", { method: "POST", json: { name: `Nhóm trang ${i}` } });
    for (const shortcut of ["chao", "cam-on", "gia", "ship", "doi-tra"]) await pano.json("/api/v1/canned-replies", { method: "POST", json: { shortcut, text: `Mẫu ${shortcut}` } });
    for (const path of ["/api/v1/channels", "/api/v1/users", "/api/v1/teams", "/api/v1/canned-replies"]) {
      const everything = await walk(path, 100);
      const inTwos = await walk(path, 2);
      expect(inTwos.map((x) => x.id)).toEqual(everything.map((x) => x.id));
      expect(new Set(inTwos.map((x) => x.id)).size).toBe(inTwos.length);
      await expectError(await pano.api(`${path}?limit=-1`), 422);
      await expectError(await pano.api(`${path}?cursor=%%%`), 422);
    }
  });
});

describe("contacts", () => {
  test("a contact has every documented field, is found by name, phone, email or channel id, edited and merged", async () => {
    const a = await customerSays("zalo-like-8812", "ct-1", "Chào shop", { contact_name: "Lê Thị Thu Trang", phone: "+84 903 111 222" });
    const b = await customerSays("web-visitor-77", "ct-2", "Tôi là Trang", { email: "trang.le@example.vn" });
    const contact = await pano.json(`/api/v1/contacts/${a.contact_id}`);
    expect(Object.keys(contact)).toEqual(expect.arrayContaining(CONTACT_KEYS));
    expect(contact.identities).toEqual([{ channel_id: channelId, channel_type: "api", external_id: "zalo-like-8812" }]);
    expect(contact.conversation_ids).toEqual([a.conversation_id]);
    expect(contact.attributes).toEqual({});

    for (const q of ["Lê Thị Thu Trang", "le thi thu trang", "thu trang", "0903111222", "zalo-like-8812"]) {
      const found = await walk(`/api/v1/contacts?q=${encodeURIComponent(q)}`);
      expect(found.map((c) => c.id)).toContain(a.contact_id);
    }
    expect((await walk(`/api/v1/contacts?q=${encodeURIComponent("trang.le@example.vn")}`)).map((c) => c.id)).toContain(b.contact_id);

    const edited = await pano.json(`/api/v1/contacts/${a.contact_id}`, { method: "PATCH", json: { name: "Trang Lê", attributes: { hang_thanh_vien: "vàng" } } });
    expect(edited).toMatchObject({ id: a.contact_id, name: "Trang Lê", attributes: { hang_thanh_vien: "vàng" } });
    const badEmail = await expectError(await pano.api(`/api/v1/contacts/${a.contact_id}`, { method: "PATCH", json: { email: "không-phải-email" } }), 422);
    expect(badEmail.message).toContain("email");

    const mergedRes = await pano.api(`/api/v1/contacts/${a.contact_id}/merge`, { method: "POST", json: { other_id: b.contact_id } });
    expect(mergedRes.status).toBe(200);
    const merged = await mergedRes.json();
    expect(merged.id).toBe(a.contact_id);
    expect(merged.email).toBe("trang.le@example.vn");
    expect(merged.identities.map((i: any) => i.external_id).sort()).toEqual(["web-visitor-77", "zalo-like-8812"]);
    expect(merged.conversation_ids.sort()).toEqual([a.conversation_id, b.conversation_id].sort());
    await expectError(await pano.api(`/api/v1/contacts/${a.contact_id}/merge`, { method: "POST", json: { other_id: a.contact_id } }), 422);
    await expectError(await pano.api(`/api/v1/contacts/99999999`), 404, "not_found");
  });
});

describe("people and roles", () => {
  test("users and teams are listed and created; duplicates are 409; an agent may not create them (403)", async () => {
    const team = await pano.api("/api/v1/teams", { method: "POST", json: { name: "Bán hàng online" } });
    expect(team.status).toBe(201);
    const t = await team.json();
    expect(t).toMatchObject({ name: "Bán hàng online" });
    expect(t.id).toBeString();
    const user = await pano.api("/api/v1/users", { method: "POST", json: { email: "thao@shop.vn", password: "mat-khau-thao-1", name: "Thảo", role: "agent", team_ids: [t.id] } });
    expect(user.status).toBe(201);
    const u = await user.json();
    expect(u).toMatchObject({ email: "thao@shop.vn", name: "Thảo", role: "agent" });
    expect(JSON.stringify(u)).not.toContain("mat-khau-thao-1");
    expect((await walk("/api/v1/users")).map((x) => x.email)).toContain("thao@shop.vn");
    expect((await walk("/api/v1/teams")).map((x) => x.name)).toContain("Bán hàng online");
    await expectError(await pano.api("/api/v1/users", { method: "POST", json: { email: "thao@shop.vn", password: "mat-khau-khac-2" } }), 409, "conflict");
    await expectError(await pano.api("/api/v1/teams", { method: "POST", json: { name: "Bán hàng online" } }), 409, "conflict");
    const badRole = await expectError(await pano.api("/api/v1/users", { method: "POST", json: { email: "x@shop.vn", password: "mat-khau-x-123", role: "boss" } }), 422);
    expect(badRole.message).toContain("role");

    const agentToken = (await runPano(["token", "create", "--name", "thao", "--user", "thao@shop.vn"], { PANO_DATA_DIR: pano.dataDir })).stdout.trim();
    const asAgent = (path: string, json: unknown) => pano.api(path, { method: "POST", json, headers: { authorization: `Bearer ${agentToken}` } });
    await expectError(await asAgent("/api/v1/users", { email: "y@shop.vn", password: "mat-khau-y-123" }), 403, "forbidden");
    await expectError(await asAgent("/api/v1/teams", { name: "Nhóm của tôi" }), 403, "forbidden");
    await expectError(await asAgent("/api/v1/channels", { type: "api", name: "Kênh riêng" }), 403, "forbidden");

    // Disabled in Settings > People: her token stops working, and her email stays taken (409, not a crash).
    const db = openDatabaseOf(pano.dataDir, { write: true });
    db.query("UPDATE users SET disabled_at = ? WHERE email = 'thao@shop.vn'").run(Date.now());
    db.close();
    await eventually(async () => (await pano.api("/api/v1/conversations", { headers: { authorization: `Bearer ${agentToken}` } })).status === 401, 10_000, "the token to be refused");
    await expectError(await pano.api("/api/v1/users", { method: "POST", json: { email: "Thao@Shop.vn", password: "mat-khau-khac-3" } }), 409, "conflict");
    expect((await walk("/api/v1/users")).map((x) => x.email)).not.toContain("thao@shop.vn");
  });

  test("an agent touching a conversation outside their teams gets 404, and their contact view shows only what they may see", async () => {
    const mine = await pano.json("/api/v1/teams", { method: "POST", json: { name: "Nhóm của Vy" } });
    const theirs = await pano.json("/api/v1/teams", { method: "POST", json: { name: "Nhóm khác" } });
    await pano.json("/api/v1/users", { method: "POST", json: { email: "vy@shop.vn", password: "mat-khau-vy-123", role: "agent", team_ids: [mine.id] } });
    const token = (await runPano(["token", "create", "--name", "vy", "--user", "vy@shop.vn"], { PANO_DATA_DIR: pano.dataDir })).stdout.trim();
    const asVy = (path: string, init: RequestInit & { json?: unknown } = {}) => pano.api(path, { ...init, headers: { authorization: `Bearer ${token}` } });

    // One customer, two conversations on two channels: one for Vy's team, one for the other team.
    const second = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Kênh thứ hai" } });
    const visible = await customerSays("kh-roles", "ro-1", "Đơn hàng của tôi");
    const hidden = (await (await inbound({ external_contact_id: "kh-roles-2", external_message_id: "ro-2", text: "Chuyện riêng" }, second.id)).json()) as typeof visible;
    await pano.json(`/api/v1/contacts/${visible.contact_id}/merge`, { method: "POST", json: { other_id: hidden.contact_id } });
    await pano.json(`/api/v1/conversations/${visible.conversation_id}`, { method: "PATCH", json: { team_id: mine.id } });
    await pano.json(`/api/v1/conversations/${hidden.conversation_id}`, { method: "PATCH", json: { team_id: theirs.id } });

    expect((await asVy(`/api/v1/conversations/${visible.conversation_id}`)).status).toBe(200);
    const touches: [string, RequestInit & { json?: unknown }][] = [
      [`/api/v1/conversations/${hidden.conversation_id}`, {}],
      [`/api/v1/conversations/${hidden.conversation_id}`, { method: "PATCH", json: { status: "resolved" } }],
      [`/api/v1/conversations/${hidden.conversation_id}/messages`, {}],
      [`/api/v1/conversations/${hidden.conversation_id}/messages`, { method: "POST", json: { text: "xin chào" } }],
    ];
    for (const [path, init] of touches) {
      const r = await pano.api(path, { ...init, headers: { authorization: `Bearer ${token}` } });
      const e = await expectError(r, 404, "not_found");
      expect(e.message).not.toContain(hidden.conversation_id);
    }
    const listed = (await (await asVy("/api/v1/conversations?status=all")).json()).data.map((c: any) => c.id);
    expect(listed).toContain(visible.conversation_id);
    expect(listed).not.toContain(hidden.conversation_id);
    const contact = await (await asVy(`/api/v1/contacts/${visible.contact_id}`)).json();
    expect(contact.conversation_ids).toEqual([visible.conversation_id]);
    expect((await pano.json(`/api/v1/conversations/${hidden.conversation_id}`)).status).toBe("open");
  });
});

describe("everything else answers in the error shape", () => {
  test("unknown endpoints, unknown ids and oversized bodies", async () => {
    await expectError(await pano.api("/api/v1/no-such-thing"), 404, "not_found");
    await expectError(await pano.api("/api/v1/conversations/not-an-id"), 404, "not_found");
    await expectError(await pano.api("/api/v1/channels/424242"), 404, "not_found");
    const big = JSON.stringify({ external_contact_id: "x", external_message_id: "big", text: "á".repeat(600_000) });
    await expectError(await pano.api(`/api/v1/channels/${channelId}/inbound`, { method: "POST", body: big, headers: { "content-type": "application/json" } }), 413, "payload_too_large");
    // Far over the limit too: the answer is still Pano's JSON, not the server's bare 413.
    const huge = "x".repeat(5 * 1024 * 1024);
    await expectError(await pano.api(`/api/v1/channels/${channelId}/inbound`, { method: "POST", body: huge, headers: { "content-type": "application/json" } }), 413, "payload_too_large");
    expect((await walk(`/api/v1/contacts?q=big`)).length).toBe(0);
  });

  test("reports answer JSON and CSV for supervisors; a bad date is 422", async () => {
    const s = await pano.json("/api/v1/reports/summary?from=2026-01-01T00:00:00Z");
    expectSnakeCase(s);
    for (const k of ["conversations_opened", "conversations_resolved", "first_response_seconds", "resolution_seconds", "handle_seconds", "sla_breaches", "csat", "by_channel", "by_agent"]) expect(s).toHaveProperty(k);
    const csv = await pano.api("/api/v1/reports/summary.csv");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const e = await expectError(await pano.api("/api/v1/reports/summary?from=hôm-qua"), 422);
    expect(e.message).toContain("from");
  });
});

describe("an agent's reply on an API channel and what operators watch", () => {
  test("the reply is POSTed to callback_url with exactly the documented JSON and signature; /metrics counts it", async () => {
    const rx = startReceiver();
    const failing = startReceiver({ status: 400 });
    try {
      const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Có callback", config: { callback_url: rx.url, callback_secret: "khoa-ky" } } });
      const refusing = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Callback từ chối", config: { callback_url: failing.url } } });
      const ids = await (await inbound({ external_contact_id: "kh-cb", external_message_id: "cb-1", text: "Alo shop" }, ch.id)).json();
      const reply = await pano.json(`/api/v1/conversations/${ids.conversation_id}/messages`, { method: "POST", json: { text: "Dạ shop nghe ạ" } });
      const note = await pano.json(`/api/v1/conversations/${ids.conversation_id}/messages`, { method: "POST", json: { text: "ghi chú nội bộ", private: true } });
      const other = await (await inbound({ external_contact_id: "kh-cb2", external_message_id: "cb-2", text: "Alo" }, refusing.id)).json();
      const refused = await pano.json(`/api/v1/conversations/${other.conversation_id}/messages`, { method: "POST", json: { text: "Không tới được" } });

      await eventually(() => rx.received.length === 1, 5000, "the callback");
      const got = rx.received[0];
      expect(got.headers.get("content-type")).toContain("application/json");
      expect(got.headers.get("x-pano-signature")).toBe(`sha256=${createHmac("sha256", "khoa-ky").update(got.body).digest("hex")}`);
      expect(Object.keys(got.json).sort()).toEqual(["conversation_id", "created_at", "event", "external_contact_id", "message_id", "private", "text"]);
      expect(got.json).toMatchObject({ event: "message.created", message_id: reply.id, conversation_id: ids.conversation_id, external_contact_id: "kh-cb", text: "Dạ shop nghe ạ", private: false });
      expect(got.json.created_at).toMatch(ISO);
      const failed = await eventually(async () => {
        const m = (await walk(`/api/v1/conversations/${other.conversation_id}/messages`)).find((x) => x.id === refused.id);
        return m?.status === "failed" && m;
      }, 5000, "the refused reply to fail");
      expect(failed.error).toContain("400");
      // The private note never left, and never will: it has no outbox row (written with it, or never).
      expect(pendingSends(pano, note.id)).toBe(0);
      expect(rx.received).toHaveLength(1);

      expect(await (await fetch(`${pano.url}/healthz`)).json()).toEqual({ status: "ok" });
      const metrics = await (await fetch(`${pano.url}/metrics`)).text();
      const value = (prefix: string, ...labels: string[]) =>
        Number(metrics.split("\n").find((l) => l.startsWith(prefix) && labels.every((x) => l.includes(x)))?.split(" ").pop());
      expect(value("pano_messages_in_total{", `channel_id="${ch.id}"`)).toBe(1);
      expect(value("pano_messages_out_total{", `channel_id="${ch.id}"`)).toBe(2);
      expect(value("pano_send_total{", 'outcome="failed"')).toBeGreaterThanOrEqual(1);
      expect(value("pano_outbox_depth")).toBeGreaterThanOrEqual(0);
      expect(value("pano_writer_queue_depth")).toBeGreaterThanOrEqual(0);
      expect(value("pano_webhook_ack_seconds_count{", 'channel="api"')).toBeGreaterThanOrEqual(2);
      expect(metrics).toContain("# TYPE pano_webhook_ack_seconds histogram");
    } finally {
      rx.stop();
      failing.stop();
    }
  });
});
