// Stories of searching everything (GET /api/v1/search): Vietnamese typed with or without marks,
// any case, NFC or NFD; phrases; phone fragments; email quotes left out; team visibility; bad
// input answered plainly; messages stored before the search index existed found after it.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { startPano, runPano, eventually, searchCaughtUp, databaseFor, ON_POSTGRES, type PanoProcess } from "./support/pano.ts";
import { PostgresDatabase } from "../src/store/postgres/connection.ts";
import { addAgent, addTeam, type Agent } from "./support/agents.ts";
import { startDovecot, type Dovecot } from "./support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer } from "./support/smtp-peer.ts";
import { mail } from "./fixtures/email/mail.ts";

let pano: PanoProcess;
let dovecot: Dovecot;
let smtp: SmtpPeer;
let api: string;
let lan: Agent; // agent of the sales team
const conv: Record<string, string> = {};
const msg: Record<string, string> = {};

async function says(customer: string, text: string, extra: Record<string, string> = {}) {
  const r = await pano.json(`/api/v1/channels/${api}/inbound`, {
    method: "POST",
    json: { external_contact_id: customer, contact_name: customer, external_message_id: `${customer}-${Math.random()}`, text, ...extra },
  });
  return r as { message_id: string; conversation_id: string; contact_id: string };
}

const search = async (q: string, params = "", token?: string) => {
  // What a customer has just written is found once the search thread has indexed it.
  await searchCaughtUp(pano);
  const r = await pano.api(`/api/v1/search?q=${encodeURIComponent(q)}${params}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: r.status, body: (await r.json()) as any };
};
const messageIds = async (q: string, params = "", token?: string) => {
  const r = await search(q, params, token);
  expect(r.status).toBe(200);
  return r.body.data.filter((h: any) => h.message_id).map((h: any) => h.message_id as string);
};

beforeAll(async () => {
  [dovecot, smtp, pano] = await Promise.all([startDovecot(), startSmtpPeer(), startPano()]);
  api = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Web" } })).id;
  const sales = await addTeam(pano, "Bán hàng", "manual");
  const care = await addTeam(pano, "Chăm sóc", "manual");
  lan = await addAgent(pano, "lan@shop.vn", [sales]);

  let r = await says("Chị Hồng", "Đơn hàng của em giao chưa ạ?");
  conv.hong = r.conversation_id; msg.order = r.message_id;
  r = await says("Anh Tuấn", "Cho mình hỏi cái áo khoác màu xanh còn size L không");
  conv.tuan = r.conversation_id; msg.jacket = r.message_id;
  // Typed on a phone that sends decomposed (NFD) text.
  r = await says("Bà Mai", "ĐẶT HÀNG GẤP, ĐƯỜNG Lê Lợi".normalize("NFD"));
  conv.mai = r.conversation_id; msg.nfd = r.message_id;
  r = await says("Khách số", "Số của mình là 0912 345 678 nhé", { phone: "0987 654 321" });
  conv.phone = r.conversation_id; msg.phoneText = r.message_id;
  r = await says("Ông Bình", "giao hàng nhanh, không phải hàng giao chậm");
  conv.binh = r.conversation_id; msg.words = r.message_id;
  await pano.json(`/api/v1/conversations/${conv.hong}`, { method: "PATCH", json: { team_id: sales } });
  await pano.json(`/api/v1/conversations/${conv.tuan}`, { method: "PATCH", json: { team_id: care } });
  // An agent's private note is searchable by the people who can see the conversation.
  msg.note = (await pano.json(`/api/v1/conversations/${conv.hong}/messages`, { method: "POST", json: { text: "Ghi chú: khách quen, tặng voucher", private: true } })).id;

  const email = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "email", name: "Hộp thư", config: { imap: dovecot.imapConfig(), smtp: smtp.smtpConfig(), from_address: "shop@pano.test" } },
  });
  await dovecot.append([mail({
    from: "Trần Văn Quý <quy@khach.vn>",
    subject: "Hỏi hàng",
    text: "Shop ơi cho mình đổi size nhé.\r\n\r\nOn Mon, 1 Jan 2024 at 10:00, Shop Pano <shop@pano.test> wrote:\r\n> Dạ shop đã nhận phiếu bảo hành vàng của anh.\r\n> Cảm ơn anh.",
  })]);
  const found = await eventually(async () => {
    const l = await pano.json(`/api/v1/conversations?status=all&channel_id=${email.id}`);
    return l.data[0];
  }, 15_000, "the mail's conversation");
  conv.mail = found.id;
}, 60_000);

afterAll(async () => {
  lan?.goOffline();
  await Promise.all([pano?.stop(), dovecot?.stop(), smtp?.stop()]);
});

test("'don hang' finds 'Đơn hàng'; so do 'Đơn hàng', 'ĐƠN HÀNG', and the same typed in NFD", async () => {
  for (const q of ["don hang", "Đơn hàng", "ĐƠN HÀNG", "đơn hàng".normalize("NFD"), "DON HANG"]) {
    expect(await messageIds(q)).toContain(msg.order);
  }
  const hit = (await search("don hang")).body.data.find((h: any) => h.message_id === msg.order);
  expect(hit).toMatchObject({ conversation_id: conv.hong, snippet: expect.stringContaining("<mark>Đơn</mark> <mark>hàng</mark>") });
  expect(hit.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
});

test("'ao khoac' and 'áo khoác' both find the jacket question", async () => {
  expect(await messageIds("ao khoac")).toContain(msg.jacket);
  expect(await messageIds("áo khoác")).toContain(msg.jacket);
  expect(await messageIds("AO KHOAC XANH")).toContain(msg.jacket);
});

test("a message stored in NFD with Đ in capitals is found typed plainly, and its snippet shows it as written", async () => {
  expect(await messageIds("dat hang gap")).toContain(msg.nfd);
  expect(await messageIds("duong le loi")).toContain(msg.nfd);
  const hit = (await search("duong")).body.data.find((h: any) => h.message_id === msg.nfd);
  expect(hit.snippet).toContain("<mark>ĐƯỜNG</mark>");
});

test("a quoted phrase matches those words in that order only", async () => {
  expect(await messageIds('"giao hang nhanh"')).toContain(msg.words);
  expect(await messageIds('"hang giao cham"')).toContain(msg.words);
  expect(await messageIds('"nhanh giao hang"')).not.toContain(msg.words);
});

test("a phone fragment finds the customer (any part of the number) and the message that has it", async () => {
  for (const q of ["654321", "0987 654", "+84 987 654 321", "321"]) {
    const r = await search(q);
    expect(r.status).toBe(200);
    expect(r.body.data.some((h: any) => h.message_id === null && h.conversation_id === conv.phone)).toBe(true);
  }
  expect(await messageIds("0912 345 678")).toContain(msg.phoneText);
  expect(await messageIds("0912345678")).toContain(msg.phoneText);
});

test("names are found by their beginning, with or without marks", async () => {
  for (const q of ["Tuấn", "tuan", "anh tu"]) {
    const r = await search(q);
    expect(r.body.data.some((h: any) => h.message_id === null && h.conversation_id === conv.tuan)).toBe(true);
  }
});

test("an email is found by what the customer wrote, not by the quoted history below it", async () => {
  expect((await search("doi size")).body.data.some((h: any) => h.conversation_id === conv.mail && h.message_id)).toBe(true);
  expect((await search("phieu bao hanh vang")).body.data.some((h: any) => h.conversation_id === conv.mail)).toBe(false);
});

test("an agent finds only what their team may see; private notes are found by those who see the conversation", async () => {
  expect(await messageIds("don hang", "", lan.token)).toContain(msg.order);
  expect(await messageIds("ao khoac", "", lan.token)).not.toContain(msg.jacket);
  expect((await search("tuan", "", lan.token)).body.data.some((h: any) => h.conversation_id === conv.tuan)).toBe(false);
  expect(await messageIds("voucher", "", lan.token)).toContain(msg.note);
  expect(await messageIds("ao khoac")).toContain(msg.jacket); // the admin sees it
});

test("filters: channel, status, date range; newest first; cursor pages", async () => {
  expect(await messageIds("don hang", `&channel_id=${api}`)).toContain(msg.order);
  expect(await messageIds("don hang", "&status=resolved")).not.toContain(msg.order);
  expect(await messageIds("don hang", "&from=2000-01-01&to=2000-01-02")).toEqual([]);
  expect(await messageIds("hang", "&sort=relevance")).toContain(msg.order);
  const all = await messageIds("hang");
  expect(all.map(Number)).toEqual([...all.map(Number)].sort((a, b) => b - a));
  const first = (await search("hang", "&limit=1")).body;
  expect(first.next_cursor).toBeTruthy();
  const second = (await search("hang", `&limit=1&cursor=${first.next_cursor}`)).body;
  expect(second.data[0].message_id).not.toBe(first.data.find((h: any) => h.message_id).message_id);
});

test("a word typed in part finds every longer word it starts, newest first, however many such words there are", async () => {
  // Four letters or more: the store spells the prefix out as the indexed words it starts (up to 16), else leaves it to FTS5.
  const few = [];
  for (const w of ["Ngọcxanh", "ngocxanhlam", "NGỌCXANHĐỎ"]) few.push((await says("Chị Ngọc", `Mua ${w} nhé`)).message_id);
  expect(await messageIds("ngocxanh")).toEqual(few.reverse());
  expect(await messageIds("ngocxanhd")).toEqual([few[0]]);
  expect(await messageIds("ngọcxanhlâ")).toEqual([few[1]]);
  expect(await messageIds("mua ngocxanhl")).toEqual([few[1]]);
  expect(await messageIds("ngocxanhlamz")).toEqual([]);
  const many = [];
  for (let i = 0; i < 20; i++) many.push((await says("Anh Vàng", `vangbac${i} còn không`)).message_id);
  expect(await messageIds("vangbac", "&limit=50")).toEqual(many.reverse());
  const first = await search("vangba", "&limit=5");
  expect(first.body.data.map((h: any) => h.message_id)).toEqual(many.slice(0, 5));
  expect(first.body.data[0].snippet).toContain("<mark>vangbac19</mark>");
  expect(await messageIds("vangba", `&limit=5&cursor=${first.body.next_cursor}`)).toEqual(many.slice(5, 10));
  const page = await search("ngocxan", "&limit=2");
  expect(page.body.data.filter((h: any) => h.message_id).map((h: any) => h.message_id)).toEqual(few.slice(0, 2));
  expect(await messageIds("ngocxan", `&limit=2&cursor=${page.body.next_cursor}`)).toEqual(few.slice(2));
});

test("bad input is answered with 422 or nothing, never a 500; snippets are escaped", async () => {
  for (const q of ['"', '"don hang', "don*", "NEAR(don hang)", "a OR b AND", "^:-()", "col:don", "***", "\u0300\u0301"]) {
    const r = await search(q);
    expect([200, 422]).toContain(r.status);
    if (r.status === 200) expect(Array.isArray(r.body.data)).toBe(true);
  }
  expect((await search("^:-()")).body.data).toEqual([]);
  expect(await messageIds('"don hang')).toContain(msg.order);
  const long = await search("x".repeat(10_000));
  expect(long.status).toBe(422);
  expect(long.body.error.code).toBe("validation_failed");
  expect((await search("")).status).toBe(422);
  expect((await search("hang", "&status=nope")).status).toBe(422);
  expect((await search("hang", "&from=yesterday")).status).toBe(422);
  expect((await search("hang", "&cursor=zzz")).status).toBe(422);
  const html = await says("Kẻ xấu", "<script>alert(1)</script> don hang");
  const hit = (await search("don hang")).body.data.find((h: any) => h.message_id === html.message_id);
  expect(hit.snippet).not.toContain("<script>");
  expect(hit.snippet).toContain("&#60;script&#62;");
});

/** SQL run on the story's database beside Pano: its SQLite file, or its PostgreSQL database. */
async function onDatabase(sqlite: string, postgres: string) {
  const db = ON_POSTGRES ? new PostgresDatabase(await databaseFor(pano.dataDir)) : new Database(join(pano.dataDir, "pano.db"));
  db.exec(ON_POSTGRES ? postgres : `PRAGMA busy_timeout = 5000; ${sqlite}`);
  db.close();
}

test("messages stored before the search index existed are found after upgrading, and after `pano search rebuild`", async () => {
  await pano.stop();
  // The database as the release before search left it: no index tables, migration 0005 not applied.
  // PostgreSQL's schema has had search from its first step: there, the same rows are left to index
  // as an upgrade leaves them (empty indexes, both kinds of rows listed in search_backfill).
  await onDatabase(
    `DROP TRIGGER contacts_search_insert; DROP TRIGGER contacts_search_delete; DROP TRIGGER contacts_search_update;
     DROP TABLE message_search; DROP TABLE contact_search; DROP TABLE search_backfill;
     DELETE FROM pano_migrations WHERE tag = '0005_search_index'`,
    "TRUNCATE message_search; TRUNCATE contact_search; INSERT INTO search_backfill (what) VALUES ('contacts'), ('messages')",
  );
  pano = await startPano({ dataDir: pano.dataDir });
  expect(await messageIds("ao khoac")).toContain(msg.jacket);
  expect((await search("tuan")).body.data.some((h: any) => h.conversation_id === conv.tuan)).toBe(true);

  await onDatabase("INSERT INTO message_search (message_search) VALUES ('delete-all')", "TRUNCATE message_search");
  expect(await messageIds("ao khoac")).toEqual([]);
  const out = await runPano(["search", "rebuild"], { PANO_DATA_DIR: pano.dataDir });
  expect(out.code).toBe(0);
  expect(out.stdout).toMatch(/search index rebuilt: \d+ messages/);
  expect(await messageIds("ao khoac")).toContain(msg.jacket);
  expect((await runPano(["search", "rebuild", "--nope"], { PANO_DATA_DIR: pano.dataDir })).code).toBe(2);
  expect((await runPano(["search", "--help"], { PANO_DATA_DIR: pano.dataDir })).stdout).toContain("pano search rebuild");
}, 60_000);
