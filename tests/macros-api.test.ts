// Macros through /api/v1/macros: a supervisor shares them with everyone or a team, an agent keeps
// personal ones; each person sees and runs only what they may. Running one does the reply (its
// variables filled), the note, the labels, the assignment, the team, the priority and the status in
// one step, each audited like the same manual change; an action the runner may not do, a target
// that is gone or a reply the channel cannot take stops the whole macro before anything changes.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ADMIN, eventually, runPano, startPano, type PanoProcess } from "./support/pano.ts";
import { signIn } from "./settings-session.ts";
import { customerWrites } from "./support/browser.ts";

let pano: PanoProcess;
let supToken: string;
let lan: { id: string; token: string };
let binh: { id: string; token: string };
let sales: string;
let vip: string;
let web: string;

const as = (token: string, path: string, init: RequestInit & { json?: unknown } = {}) =>
  pano.api(path, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
const create = async (token: string, body: unknown) => {
  const r = await as(token, "/api/v1/macros", { method: "POST", json: body });
  return { status: r.status, body: await r.json() };
};
const run = async (token: string, id: string, body: unknown) => {
  const r = await as(token, `/api/v1/macros/${id}/run`, { method: "POST", json: body });
  return { status: r.status, body: await r.json() };
};
const messagesOf = async (conv: string) => (await pano.json(`/api/v1/conversations/${conv}/messages?limit=100`)).data;

async function person(email: string, name: string, role: string, teams: string[]) {
  const u = await pano.json("/api/v1/users", { method: "POST", json: { email, password: "mat-khau-dai-du-8", name, role, team_ids: teams } });
  const tok = await runPano(["token", "create", "--name", email, "--user", email], { PANO_DATA_DIR: pano.dataDir });
  return { id: u.id as string, token: tok.stdout.trim() };
}

async function conversationInSales(customer: string, name: string, text: string) {
  const c = await customerWrites(pano, web, customer, text, name);
  await pano.json(`/api/v1/conversations/${c.conversation_id}`, { method: "PATCH", json: { team_id: sales } });
  return c;
}

beforeAll(async () => {
  pano = await startPano();
  sales = (await pano.json("/api/v1/teams", { method: "POST", json: { name: "Bán hàng", assignment: "manual" } })).id;
  vip = (await pano.json("/api/v1/teams", { method: "POST", json: { name: "Khách VIP", assignment: "manual" } })).id;
  supToken = (await person("thu@shop.vn", "Thu", "supervisor", [sales])).token;
  lan = await person("lan@shop.vn", "Lan", "agent", [sales]);
  binh = await person("binh@shop.vn", "Bình", "agent", [vip]);
  web = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
});
afterAll(async () => {
  await pano?.stop();
});

describe("who sees and keeps which macros", () => {
  let everyone: string;
  let salesOnly: string;
  let lansOwn: string;

  test("a supervisor shares macros with everyone and with one team", async () => {
    const a = await create(supToken, { name: "Chào hỏi", visibility: "everyone", actions: [{ type: "reply", text: "Chào {{contact.name}}!" }] });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ name: "Chào hỏi", visibility: "everyone", team_id: null, owner_id: null, actions: [{ type: "reply", text: "Chào {{contact.name}}!" }] });
    everyone = a.body.id;
    const b = await create(supToken, { name: "Chuyển VIP", visibility: "team", team_id: vip, actions: [{ type: "team", team_id: vip }, { type: "priority", priority: "high" }] });
    expect(b.status).toBe(201);
    expect(b.body).toMatchObject({ visibility: "team", team_id: vip, actions: [{ type: "team", team_id: vip }, { type: "priority", priority: "high" }] });
    salesOnly = (await create(supToken, { name: "Báo giá", visibility: "team", team_id: sales, actions: [{ type: "add_labels", labels: ["bao-gia"] }] })).body.id;
  });

  test("an agent keeps personal macros, and may not share one", async () => {
    const own = await create(lan.token, { name: "Của Lan", actions: [{ type: "assign", assignee_id: "me" }] });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ visibility: "personal", owner_id: lan.id, actions: [{ type: "assign", assignee_id: "me" }] });
    lansOwn = own.body.id;
    const shared = await create(lan.token, { name: "Lén chia sẻ", visibility: "everyone", actions: [{ type: "status", status: "resolved" }] });
    expect(shared.status).toBe(403);
    expect(shared.body.error.code).toBe("forbidden");
  });

  test("each sees everyone's, their team's and their own, and nothing else, by list or by id", async () => {
    const names = async (token: string) => (await (await as(token, "/api/v1/macros")).json()).data.map((m: any) => m.name).sort();
    expect(await names(lan.token)).toEqual(["Báo giá", "Chào hỏi", "Của Lan"]);
    expect(await names(binh.token)).toEqual(["Chuyển VIP", "Chào hỏi"]);
    expect(await names(supToken)).toEqual(["Báo giá", "Chuyển VIP", "Chào hỏi"]);
    expect((await as(binh.token, `/api/v1/macros/${lansOwn}`)).status).toBe(404);
    expect((await as(lan.token, `/api/v1/macros/${salesOnly}`)).status).toBe(200);
    expect((await as(binh.token, `/api/v1/macros/${salesOnly}`)).status).toBe(404);
  });

  test("an agent changes only their own; a shared one answers 403", async () => {
    const r = await as(lan.token, `/api/v1/macros/${everyone}`, { method: "PATCH", json: { name: "Đổi tên" } });
    expect(r.status).toBe(403);
    expect((await r.json()).error.code).toBe("forbidden");
    const mine = await as(lan.token, `/api/v1/macros/${lansOwn}`, { method: "PATCH", json: { name: "Nhận hội thoại" } });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toMatchObject({ name: "Nhận hội thoại", visibility: "personal", actions: [{ type: "assign", assignee_id: "me" }] });
    expect((await as(binh.token, `/api/v1/macros/${lansOwn}`, { method: "DELETE" })).status).toBe(404);
  });

  test("bad input gets the standard error naming the field", async () => {
    const cases: [unknown, number, string, string][] = [
      [{ name: "", actions: [{ type: "status", status: "resolved" }] }, 422, "validation_failed", "name"],
      [{ name: "Trống", actions: [] }, 422, "validation_failed", "actions"],
      [{ name: "Lạ", actions: [{ type: "explode" }] }, 422, "validation_failed", "actions.0.type"],
      [{ name: "Sai biến", actions: [{ type: "reply", text: "Chào {{customer.name}}" }] }, 422, "validation_failed", "{{customer.name}}"],
      [{ name: "Hai lần", actions: [{ type: "status", status: "open" }, { type: "status", status: "resolved" }] }, 422, "validation_failed", "appears twice"],
      [{ name: "Ai đó", actions: [{ type: "assign", assignee_id: "99999" }] }, 422, "validation_failed", "actions.0.assignee_id"],
      [{ name: "Nhóm thiếu", visibility: "team", actions: [{ type: "status", status: "open" }] }, 422, "validation_failed", "team_id"],
      [{ name: "Ngủ", actions: [{ type: "status", status: "snoozed" }] }, 422, "validation_failed", "actions.0.status"],
    ];
    for (const [body, status, code, words] of cases) {
      const r = await create(supToken, body);
      expect([r.status, r.body.error?.code]).toEqual([status, code]);
      expect(r.body.error.message).toContain(words);
    }
    const notJson = await as(supToken, "/api/v1/macros", { method: "POST", body: "{", headers: { "content-type": "application/json" } });
    expect([notJson.status, (await notJson.json()).error.code]).toEqual([400, "invalid_json"]);
  });

  test("an agent may not save a macro that moves conversations to a team they are not in", async () => {
    const r = await create(lan.token, { name: "Sang VIP", actions: [{ type: "team", team_id: vip }] });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("forbidden");
  });
});

describe("running a macro", () => {
  test("one step does everything, with the reply's variables filled, through the usual audited changes", async () => {
    const c = await conversationInSales("kh-hung", "Phạm Văn Hùng", "Áo khoác còn size L không shop?");
    await pano.json(`/api/v1/conversations/${c.conversation_id}`, { method: "PATCH", json: { labels: ["moi"] } });
    const m = await create(supToken, {
      name: "Hết hàng — đóng", visibility: "team", team_id: sales,
      actions: [
        { type: "reply", text: "Chào {{contact.name}}, em là {{agent.name}}: mẫu này tạm hết, mã hỗ trợ #{{conversation.id}}." },
        { type: "note", text: "Đã báo hết hàng cho {{contact.name}}" },
        { type: "add_labels", labels: ["Hết hàng"] },
        { type: "remove_labels", labels: ["moi"] },
        { type: "assign", assignee_id: "me" },
        { type: "priority", priority: "low" },
        { type: "status", status: "resolved" },
      ],
    });
    expect(m.status).toBe(201);
    const r = await run(lan.token, m.body.id, { conversation_id: c.conversation_id });
    expect(r.status).toBe(200);
    expect(r.body.conversation).toMatchObject({ id: c.conversation_id, status: "resolved", assignee_id: lan.id, priority: "low", labels: ["hết-hàng"], team_id: sales });
    expect(r.body.message_ids).toHaveLength(2);

    const msgs = await messagesOf(c.conversation_id);
    const reply = msgs.find((x: any) => x.direction === "out" && !x.private);
    expect(reply).toMatchObject({ text: `Chào Phạm Văn Hùng, em là Lan: mẫu này tạm hết, mã hỗ trợ #${c.conversation_id}.`, author: { type: "user", id: lan.id } });
    expect(msgs.find((x: any) => x.private)).toMatchObject({ text: "Đã báo hết hàng cho Phạm Văn Hùng", status: "sent" });
    // The api channel posts the reply to no callback: it leaves the outbox like any reply.
    await eventually(async () => (await messagesOf(c.conversation_id)).find((x: any) => x.id === reply.id).status !== "queued", 10_000, "the reply leaves the outbox");

    const audit = (await pano.json(`/api/v1/audit?conversation_id=${c.conversation_id}&limit=100`)).data;
    const actions = audit.filter((a: any) => a.actor.id === lan.id).map((a: any) => a.action).sort();
    expect(actions).toEqual(["conversation.assigned", "conversation.labels", "conversation.priority", "conversation.status", "macro.applied"]);
    expect(audit.find((a: any) => a.action === "macro.applied")).toMatchObject({ subject: { type: "macro", id: m.body.id }, data: { to: "Hết hàng — đóng" } });
  });

  test("what the runner may not do stops the whole macro: nothing changes", async () => {
    const c = await conversationInSales("kh-mai", "Đỗ Mai", "Cho mình xin báo giá sỉ");
    // Shared by the supervisor with everyone, but Lan is not in the VIP team.
    const m = await create(supToken, { name: "Đẩy sang VIP", visibility: "everyone", actions: [{ type: "reply", text: "Em chuyển anh/chị sang bộ phận VIP ạ." }, { type: "team", team_id: vip }] });
    const before = await pano.json(`/api/v1/conversations/${c.conversation_id}`);
    const r = await run(lan.token, m.body.id, { conversation_id: c.conversation_id });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("forbidden");
    expect(await pano.json(`/api/v1/conversations/${c.conversation_id}`)).toEqual(before);
    expect((await messagesOf(c.conversation_id)).filter((x: any) => x.direction === "out")).toEqual([]);
    // The supervisor may.
    expect((await run(supToken, m.body.id, { conversation_id: c.conversation_id })).body.conversation.team_id).toBe(vip);
  });

  test("the same rule holds by hand: an agent cannot move a conversation to another team from the API or the inbox", async () => {
    const c = await conversationInSales("kh-vy", "Ngô Vy", "Mình muốn đổi địa chỉ giao hàng");
    const r = await as(lan.token, `/api/v1/conversations/${c.conversation_id}`, { method: "PATCH", json: { team_id: vip } });
    expect([r.status, (await r.json()).error.code]).toEqual([403, "forbidden"]);
    const page = await signIn(pano, "lan@shop.vn", "mat-khau-dai-du-8");
    expect((await page.post(`/conversations/${c.conversation_id}/actions`, { action: "team", team: vip })).status).toBe(403);
    expect((await pano.json(`/api/v1/conversations/${c.conversation_id}`)).team_id).toBe(sales);
    // Her own team, or none, she may.
    expect((await page.post(`/conversations/${c.conversation_id}/actions`, { action: "team", team: sales })).status).toBe(303);
  });

  test("a macro or conversation the runner may not see does not exist for them", async () => {
    const theirs = await conversationInSales("kh-tuan", "Lê Tuấn", "Đơn của mình tới đâu rồi?");
    const vipOnly = (await (await as(supToken, "/api/v1/macros")).json()).data.find((m: any) => m.name === "Chuyển VIP").id;
    const r = await run(lan.token, vipOnly, { conversation_id: theirs.conversation_id });
    expect([r.status, r.body.error.code]).toEqual([404, "not_found"]);
    const everyone = (await (await as(lan.token, "/api/v1/macros")).json()).data.find((m: any) => m.name === "Chào hỏi").id;
    const hidden = await run(binh.token, everyone, { conversation_id: theirs.conversation_id });
    expect([hidden.status, hidden.body.error.code]).toEqual([404, "not_found"]);
    expect((await messagesOf(theirs.conversation_id)).filter((x: any) => x.direction === "out")).toEqual([]);
  });

  test("a reply needing a value the customer has not given asks; allow_missing sends it without", async () => {
    const c = await conversationInSales("kh-hoa", "Lê Hoa", "Cho mình xin hoá đơn");
    const m = await create(supToken, { name: "Gửi hoá đơn", visibility: "everyone", actions: [{ type: "reply", text: "Dạ em gửi hoá đơn về {{contact.email}} ạ, chị {{contact.name}}." }] });
    const r = await run(lan.token, m.body.id, { conversation_id: c.conversation_id });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: "missing_variables", variables: ["contact.email"] });
    expect((await messagesOf(c.conversation_id)).filter((x: any) => x.direction === "out")).toEqual([]);
    const ok = await run(lan.token, m.body.id, { conversation_id: c.conversation_id, allow_missing: true });
    expect(ok.status).toBe(200);
    expect((await messagesOf(c.conversation_id)).find((x: any) => x.direction === "out").text).toBe("Dạ em gửi hoá đơn về ạ, chị Lê Hoa.");
    // Nothing left to say without the value: refused even with allow_missing, nothing sent.
    const bare = await create(supToken, { name: "Chỉ email", visibility: "everyone", actions: [{ type: "reply", text: "{{contact.email}}" }, { type: "status", status: "resolved" }] });
    const empty = await run(lan.token, bare.body.id, { conversation_id: c.conversation_id, allow_missing: true });
    expect([empty.status, empty.body.error.code]).toEqual([422, "validation_failed"]);
    expect((await messagesOf(c.conversation_id)).filter((x: any) => x.direction === "out")).toHaveLength(1);
    expect((await pano.json(`/api/v1/conversations/${c.conversation_id}`)).status).toBe("open");
  });

  test("a macro assigning to someone who has left is refused, naming why", async () => {
    const c = await conversationInSales("kh-nam", "Trần Nam", "Shop ơi");
    const leaver = await person("cu@shop.vn", "Cường", "agent", [sales]);
    const m = await create(supToken, { name: "Giao Cường", visibility: "everyone", actions: [{ type: "assign", assignee_id: leaver.id }] });
    expect(m.status).toBe(201);
    // The admin disables Cường in Settings › People.
    const admin = await signIn(pano, ADMIN.email, ADMIN.password);
    expect((await admin.post(`/settings/users/${leaver.id}/disable`, {})).status).toBe(303);
    const r = await run(lan.token, m.body.id, { conversation_id: c.conversation_id });
    expect([r.status, r.body.error.code]).toEqual([422, "validation_failed"]);
    expect(r.body.error.message).toContain("no longer works here");
    expect((await pano.json(`/api/v1/conversations/${c.conversation_id}`)).assignee_id).toBe(null);
  });
});
