// Search on PostgreSQL (migrations/postgres/0100_search.sql): the same answers as SQLite's FTS5
// for what is PostgreSQL's own — Vietnamese folded both ways, words cut at punctuation and emoji
// under any locale (the database's LC_CTYPE C calls every non-ASCII character a letter), phone
// fragments, the snippet's marks, newest-first paging by id (for a query many messages match and
// for one few do: they take different paths), relevance, the inbox's text filter,
// tsquery syntax typed by a user, a text too long for one tsvector, and `pano search rebuild`.
// The real store (writer, ingest path, replies) on a throw-away PostgreSQL cluster.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Database } from "bun:sqlite";
import { startPostgres, type PostgresCluster } from "./support/postgres.ts";
import { openPostgres, PostgresDatabase } from "../src/store/postgres/connection.ts";
import { applyPostgresMigrations, POSTGRES_STEPS } from "../src/store/postgres/migrate.ts";
import searchSql from "../migrations/postgres/0100_search.sql" with { type: "text" };
import { Writer } from "../src/store/writer.ts";
import { applyInbound } from "../src/store/inbound.ts";
import { createReply } from "../src/store/outbound.ts";
import { listConversations } from "../src/store/conversations.ts";
import { searchEverything, decodeSearchCursor, type SearchFilter } from "../src/store/search.ts";
import { completeSearchBackfill, rebuildSearchIndex, searchIndexBytes } from "../src/store/search-index.ts";
import { postgresWords } from "../src/store/search-postgres.ts";
import type { Viewer } from "../src/domain/conversation.ts";

let cluster: PostgresCluster;
let db: Database;
let writer: Writer;
let channel: number;
let seq = 0;
const admin: Viewer = { userId: 1, role: "admin", teamIds: [] };

/** The steps the server applies, with search as its own step if the list does not name it yet. */
const steps = POSTGRES_STEPS.some((s) => s.sql?.includes(searchSql)) ? POSTGRES_STEPS : [...POSTGRES_STEPS, { tag: "pg-search", sql: [searchSql] }];

async function says(who: string, text: string, contact: { name?: string; phone?: string; email?: string } = {}) {
  const [r] = await writer.submit((tx) =>
    applyInbound(tx, [{ kind: "message", channelId: channel, externalMessageId: `m${++seq}`, direction: "in", contact: { externalId: who, name: who, ...contact }, text, attachments: [], occurredAt: new Date() }], new Map()),
  );
  return { message: r.messageId!, conversation: r.conversationId!, contact: r.contactId! };
}

const find = (q: string, more: Partial<SearchFilter> = {}, limit = 20, cursor: string | null = null) => {
  const decoded = decodeSearchCursor(cursor);
  if (decoded === "bad") throw new Error("bad cursor");
  const r = searchEverything(db, admin, { q, ...more }, limit, decoded);
  if (!r.ok) throw new Error(r.reason);
  return r;
};
const messageIds = (q: string, more: Partial<SearchFilter> = {}, limit = 20, cursor: string | null = null) =>
  find(q, more, limit, cursor).rows.filter((h) => h.kind === "message").map((h) => h.message_id);
const contactIds = (q: string) => find(q).rows.filter((h) => h.kind === "contact").map((h) => h.contact_id);

beforeAll(async () => {
  cluster = await startPostgres();
  db = openPostgres(await cluster.createDatabase());
  applyPostgresMigrations(db as never, steps);
  completeSearchBackfill(db);
  writer = new Writer(db, { windowMs: 0, max: 100, afterCommit: () => {} });
  channel = Number(db.query("INSERT INTO channels (type, name, config_enc, created_at) VALUES ('api', 'Web', '', ?)").run(Date.now()).lastInsertRowid);
}, 60_000);

afterAll(async () => {
  db?.close();
  await cluster?.stop();
});

describe("Search on PostgreSQL", () => {
  test("the index cuts words exactly as the query does, under a UTF-8 locale and under C", async () => {
    await cluster.psql("postgres", "CREATE DATABASE plain_c LC_CTYPE 'C' LC_COLLATE 'C' TEMPLATE template0");
    const c = new PostgresDatabase(cluster.url("plain_c"));
    try {
      c.native(searchSql.split("--> statement-breakpoint")[0]);
      const sample = "an@example.com “trích dẫn” x² chào😀shop 日本語、テスト ab·cd ngọc-xanh foo_bar 0912.345.678 tab\tnew\nline naïve straße ½ ①";
      for (const conn of [db as unknown as PostgresDatabase, c]) {
        const cut = conn.native<{ w: string }>("SELECT pano_search_words($1) AS w", [sample])[0].w;
        expect(cut.trim().split(/ +/)).toEqual(postgresWords(sample));
      }
    } finally {
      c.close();
    }
  });

  test("'don hang' finds 'Đơn hàng' typed every way, and the snippet marks it as the customer wrote it", async () => {
    const order = await says("Chị Hồng", "Đơn hàng của em giao chưa ạ?");
    const nfd = await says("Bà Mai", "ĐẶT HÀNG GẤP, ĐƯỜNG Lê Lợi".normalize("NFD"));
    for (const q of ["don hang", "Đơn hàng", "ĐƠN HÀNG", "đơn hàng".normalize("NFD"), "DON HA"]) expect(messageIds(q)).toContain(order.message);
    const hit = find("don hang").rows.find((h) => h.message_id === order.message)!;
    expect(hit.snippet).toContain("<mark>Đơn</mark> <mark>hàng</mark>");
    expect(messageIds("dat hang gap")).toEqual([nfd.message]);
    expect(find("duong").rows.find((h) => h.message_id === nfd.message)!.snippet).toContain("<mark>ĐƯỜNG</mark>");
    expect(messageIds('"hang gap"')).toEqual([nfd.message]);
    expect(messageIds('"gap hang"')).toEqual([]);
  });

  test("words are cut at punctuation and emoji: an email, a hyphen, a smiley glued to a word", async () => {
    const m = await says("Chị Thu", "Gửi qua thu.nguyen@shop-abc.vn nhé😍cảm ơn, mã ngọc-xanh");
    expect(messageIds("shop abc")).toContain(m.message);
    expect(messageIds("thu.nguyen@shop-abc.vn")).toContain(m.message);
    expect(messageIds("nhe")).toContain(m.message);
    expect(messageIds("cam on")).toContain(m.message);
    expect(messageIds("xanh")).toContain(m.message);
    expect(find("shop-abc").rows.find((h) => h.message_id === m.message)!.snippet).toContain("<mark>shop-abc</mark>");
  });

  test("a phone fragment finds the customer by any part of the number, and the message that spells one out", async () => {
    const k = await says("Khách số", "Số của mình là 0912 345 678 nhé", { phone: "0987 654 321" });
    for (const q of ["654321", "0987 654", "+84 987 654 321", "321", "098"]) expect(contactIds(q)).toContain(k.contact);
    const hit = find("654321").rows.find((h) => h.contact_id === k.contact && h.kind === "contact")!;
    expect(hit.snippet).toContain("<mark>654321</mark>");
    for (const q of ["0912 345 678", "0912345678", "0912", "+84 912 345 678"]) expect(messageIds(q)).toContain(k.message);
  });

  test("names by their beginning; an email address; a customer's new name found, the old one not", async () => {
    const k = await says("Anh Tuấn", "Cho mình hỏi cái áo khoác", { email: "tuan.le@khach.vn" });
    for (const q of ["Tuấn", "tuan", "anh tu", "tuan.le@khach.vn", "khach"]) expect(contactIds(q)).toContain(k.contact);
    db.query("UPDATE contacts SET name = 'Ông Quang', search = 'ong quang' WHERE id = ?").run(k.contact);
    expect(contactIds("quang")).toContain(k.contact);
    expect(contactIds("tuan")).not.toContain(k.contact);
  });

  test("newest first, paged by message id without repeats; by relevance, paged by position", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push((await says("Anh Vàng", `vangbac${i} còn không shop`)).message);
    const newest = [...ids].reverse();
    expect(messageIds("vangbac")).toEqual(newest);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const r = find("vangba", {}, 3, cursor);
      seen.push(...r.rows.filter((h) => h.kind === "message").map((h) => h.message_id!));
      cursor = r.next;
    } while (cursor);
    expect(seen).toEqual(newest);
    // The short message with the word twice ranks above the long one with it once.
    const long = await says("Cô Lan", `áo len ${"rất đẹp và ấm áp cho mùa đông năm nay ".repeat(12)}`);
    const short = await says("Cô Lan", "áo len, áo len");
    expect(messageIds("ao len", { sort: "relevance" }).slice(0, 2)).toEqual([short.message, long.message]);
    const first = find("ao len", { sort: "relevance" }, 1);
    expect(messageIds("ao len", { sort: "relevance" }, 1, first.next)).toEqual([long.message]);
  });

  test("a word in over a thousand messages (walked newest first) pages like a word in a few (read from the index)", async () => {
    const events = Array.from({ length: 1_020 }, (_, i) => ({
      kind: "message" as const, channelId: channel, externalMessageId: `bulk${i}`, direction: "in" as const,
      contact: { externalId: `bulk${i % 7}` }, text: i % 400 === 0 ? `khuyến mãi hiếm gặp ${i}` : `khuyến mãi tháng ${i}`, attachments: [], occurredAt: new Date(),
    }));
    const stored = await writer.submit((tx) => applyInbound(tx, events, new Map()));
    const ids = stored.map((r) => r.messageId!);
    const walk = (q: string) => {
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const r = find(q, {}, 50, cursor);
        seen.push(...r.rows.filter((h) => h.kind === "message").map((h) => h.message_id!));
        cursor = r.next;
      } while (cursor && seen.length < 200);
      return seen;
    };
    expect(walk("khuyen mai")).toEqual([...ids].reverse().slice(0, 200));
    expect(walk("hiem gap")).toEqual([ids[800], ids[400], ids[0]]);
    expect(messageIds("thang 1019")).toEqual([ids[1019]]);
  });

  test("the inbox's search box finds a conversation by an earlier message, and an agent's reply", async () => {
    const c = await says("Chú Ba", "Cho chú hỏi cái nồi cơm điện");
    await says("Chú Ba", "Thôi để mai chú ghé");
    await writer.submit((tx) => createReply(tx, { conversationId: c.conversation, text: "Dạ bên con còn ấm siêu tốc", private: false, userId: 1 }));
    const ids = (q: string) => listConversations(db, admin, { q, status: "all" } as never, 20, null).rows.map((r) => r.id);
    expect(ids("noi com dien")).toContain(c.conversation);
    expect(ids("am sieu toc")).toContain(c.conversation);
    expect(ids("noi com lanh")).not.toContain(c.conversation);
  });

  test("tsquery syntax typed in the box is only text: never an error, never a wider match", async () => {
    for (const q of ["don:*", "a & !b", "'", "\\", "<->", "(don", "don | hang", "x:A", "!!!", "😀", "½"]) {
      const r = searchEverything(db, admin, { q }, 20, null);
      expect(r.ok).toBe(true);
    }
    expect(messageIds("don | zzz")).toEqual([]);
  });

  test("a text longer than one tsvector holds is stored and found by its beginning", async () => {
    const words = Array.from({ length: 120_000 }, (_, i) => `w${i.toString(36)}`).join(" ");
    const m = await says("Máy", `batdau ${words}`);
    expect(messageIds("batdau")).toEqual([m.message]);
  });

  test("`pano search rebuild` and the backfill after an upgrade find everything again; the index's size is reported", async () => {
    const before = messageIds("don hang");
    expect(before.length).toBeGreaterThan(0);
    db.exec("TRUNCATE message_search; TRUNCATE contact_search");
    expect(messageIds("don hang")).toEqual([]);
    expect(contactIds("tuan")).toEqual([]);
    db.exec("INSERT INTO search_backfill (what) VALUES ('messages'), ('contacts')");
    completeSearchBackfill(db);
    expect(messageIds("don hang")).toEqual(before);
    expect(contactIds("654321").length).toBe(1);
    const done = rebuildSearchIndex(db);
    expect(done.messages).toBeGreaterThan(10);
    expect(messageIds("don hang")).toEqual(before);
    expect(contactIds("654321").length).toBe(1);
    expect(searchIndexBytes(db)).toBeGreaterThan(0);
  });
});
