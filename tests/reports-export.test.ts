// A manager downloads the range's conversations and messages to dig into them in Excel: the file
// streams page by page, opens with Vietnamese intact (UTF-8 BOM), and nothing a customer typed
// runs as a formula.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, type PanoProcess } from "./support/pano.ts";

let pano: PanoProcess;
let conversationId: string;
beforeAll(async () => {
  pano = await startPano();
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Cửa hàng Online" } });
  const ids = await pano.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "ng", contact_name: "Nguyễn Thị Hường", external_message_id: "ng-0", text: '=HYPERLINK("https://evil.example","Bấm vào")' } });
  conversationId = ids.conversation_id;
  await pano.json(`/api/v1/conversations/${conversationId}/messages`, { method: "POST", json: { text: "Dạ, shop gửi chị đơn hàng, cảm ơn chị!" } });
  for (let i = 1; i <= 520; i++) await pano.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "ng", external_message_id: `ng-${i}`, text: `Tin nhắn số ${i}, "có dấu phẩy"` } });
}, 120_000);
afterAll(async () => void (await pano.stop()));

/** RFC 4180 rows, as a spreadsheet reads them. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { row.push(cell); cell = ""; } else if (ch === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; } else cell += ch;
  }
  return rows;
}

test("messages of the range stream as CSV with a BOM, Vietnamese intact, formulas neutralised", async () => {
  const res = await pano.api("/api/v1/reports/messages.csv");
  expect(res.headers.get("content-type")).toContain("text/csv");
  const reader = res.body!.getReader();
  const parts: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  expect(parts.length).toBeGreaterThanOrEqual(1);
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = parseCsv(new TextDecoder().decode(bytes));
  const header = rows[0];
  expect(header.slice(0, 4)).toEqual(["id", "conversation_id", "channel_type", "direction"]);
  expect(header).toContain("created_at (Asia/Ho_Chi_Minh)");
  expect(rows).toHaveLength(1 + 522);
  const col = (name: string) => header.indexOf(name);
  expect(rows[1][col("text")]).toBe(`'=HYPERLINK("https://evil.example","Bấm vào")`);
  expect(rows[1][col("author_name")]).toBe("Nguyễn Thị Hường");
  expect(rows[2][col("text")]).toBe("Dạ, shop gửi chị đơn hàng, cảm ơn chị!");
  expect(rows[2][col("direction")]).toBe("out");
  expect(rows[522][col("text")]).toBe('Tin nhắn số 520, "có dấu phẩy"');
  expect(rows[1][col("created_at (Asia/Ho_Chi_Minh)")]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
});

test("conversations of the range as CSV; a bad range is 422", async () => {
  const rows = parseCsv(new TextDecoder().decode(await (await pano.api("/api/v1/reports/conversations.csv")).arrayBuffer()));
  expect(rows).toHaveLength(2);
  const h = rows[0];
  expect(rows[1][h.indexOf("id")]).toBe(conversationId);
  expect(rows[1][h.indexOf("contact_name")]).toBe("Nguyễn Thị Hường");
  expect(rows[1][h.indexOf("channel_name")]).toBe("Cửa hàng Online");
  expect(rows[1][h.indexOf("message_count")]).toBe("522");
  expect((await pano.api("/api/v1/reports/conversations.csv?from=hôm-qua")).status).toBe(422);
});
