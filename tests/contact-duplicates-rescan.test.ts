// The background duplicate finder hears of a new customer several times in a burst (created, the
// profile fetched, the search text refreshed, the catch-up pass). Stories of what a rescan does
// with each: a change that moves no match key leaves the customer's pairs exactly as found (not
// rewritten, their found time kept); a change that moves a key redoes them; a merge takes them away.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../src/store/db.ts";
import { rescanChangedContacts, rescanContacts } from "../src/store/contact-duplicates.ts";
import type { Tx } from "../src/store/writer.ts";

let dir: string;
let store: Store;
let clock = 1_000;

/** One write transaction at a later moment than the last, as the writer runs them. */
const write = <T>(f: (tx: Tx) => T): T => {
  const tx: Tx = { db: store.sqlite, now: ++clock, emit: () => {} };
  return store.sqlite.transaction(() => f(tx))();
};
const addContact = (c: { name: string; phone?: string; email?: string; avatar?: string }) =>
  write(
    (tx) =>
      tx.db
        .query<{ id: number }, [string, string | null, string | null, string | null, number, number]>(
          "INSERT INTO contacts (name, phone, email, avatar_url, search, created_at, updated_at) VALUES (?, ?, ?, ?, '', ?, ?) RETURNING id",
        )
        .get(c.name, c.phone ?? null, c.email ?? null, c.avatar ?? null, tx.now, tx.now)!.id,
  );
const pairs = () => store.sqlite.query<{ a_id: number; b_id: number; reason: string; found_at: number }, []>("SELECT a_id, b_id, reason, found_at FROM contact_duplicates ORDER BY a_id, b_id").all();
const keysScannedAt = (id: number) => store.sqlite.query<{ scanned_at: number }, [number]>("SELECT scanned_at FROM contact_match_keys WHERE contact_id = ?").get(id)?.scanned_at;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pano-dup-rescan-"));
  store = openStore(dir, { synchronous: "NORMAL" });
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a customer named again by the duplicate finder", () => {
  let hoa: number, hoaFb: number, lan: number;

  test("two customers written with the same phone are paired once both are scanned", () => {
    hoa = addContact({ name: "Trần Thị Hoa", phone: "0912 345 678" });
    hoaFb = addContact({ name: "Hoa Trần", phone: "+84 912 345 678" });
    lan = addContact({ name: "Lê Lan", email: "lan@congty.vn", avatar: "https://cdn.example/lan.jpg" });
    write((tx) => rescanContacts(tx, [hoa, hoaFb, lan]));
    expect(pairs().map((p) => [p.a_id, p.b_id, p.reason])).toEqual([[hoa, hoaFb, "phone"]]);
  });

  test("a search refresh, a repeated profile fetch or the catch-up pass moves no key: the pair and its found time stand, nothing is rewritten", () => {
    const before = pairs();
    const scanned = keysScannedAt(hoaFb);
    // What a search text refresh writes: a newer updated_at, the same facts.
    write((tx) => tx.db.query("UPDATE contacts SET search = 'hoa tran', updated_at = ? WHERE id IN (?, ?)").run(tx.now, hoa, hoaFb));
    expect(write((tx) => rescanContacts(tx, [hoa, hoaFb]))).toBe(0);
    // The catch-up pass reads every contact changed since its mark, these included.
    while (write((tx) => rescanChangedContacts(tx, 200)) === 200);
    expect(pairs()).toEqual(before);
    expect(keysScannedAt(hoaFb)).toBe(scanned);
  });

  test("a detail that is not a key of its own still counts: a new avatar redoes the name-and-avatar details", () => {
    const kept = () => store.sqlite.query<{ key: string }, [number]>("SELECT key FROM contact_match_details WHERE contact_id = ?").all(lan).map((r) => r.key);
    expect(kept().some((k) => k.endsWith("https://cdn.example/lan.jpg"))).toBe(true);
    write((tx) => tx.db.query("UPDATE contacts SET avatar_url = ?, updated_at = ? WHERE id = ?").run("https://cdn.example/lan-2.jpg", tx.now, lan));
    write((tx) => rescanContacts(tx, [lan]));
    expect(kept().some((k) => k.endsWith("https://cdn.example/lan-2.jpg"))).toBe(true);
    expect(kept().some((k) => k.endsWith("https://cdn.example/lan.jpg"))).toBe(false);
  });

  test("a phone edited to another number leaves the pair; edited back, the pair is found again with a new time", () => {
    const first = pairs()[0];
    write((tx) => tx.db.query("UPDATE contacts SET phone = ?, updated_at = ? WHERE id = ?").run("0987 654 321", tx.now, hoaFb));
    write((tx) => rescanContacts(tx, [hoaFb]));
    expect(pairs()).toEqual([]);
    write((tx) => tx.db.query("UPDATE contacts SET phone = ?, updated_at = ? WHERE id = ?").run("84912345678", tx.now, hoaFb));
    expect(write((tx) => rescanContacts(tx, [hoaFb]))).toBe(1);
    const again = pairs();
    expect(again.map((p) => [p.a_id, p.b_id, p.reason])).toEqual([[hoa, hoaFb, "phone"]]);
    expect(again[0].found_at).toBeGreaterThan(first.found_at);
  });

  test("a customer merged into another leaves the list even though its name did not change", () => {
    write((tx) => tx.db.query("UPDATE contacts SET merged_into = ?, updated_at = ? WHERE id = ?").run(hoa, tx.now, hoaFb));
    write((tx) => rescanContacts(tx, [hoaFb]));
    expect(pairs()).toEqual([]);
    expect(keysScannedAt(hoaFb)).toBeUndefined();
  });
});
