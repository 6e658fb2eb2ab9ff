// pano reports rebuild: works the dashboard's roll-ups out again from the raw rows (conversations,
// messages, the audit log), in chunks of conversations, each in its own short transaction, so it is
// safe while Pano serves (the writer keeps them current in between). docs/reports.md "Roll-ups".
import { loadConfig } from "../config.ts";
import { openStore } from "../store/db.ts";
import { rebuildRollups } from "../store/report-rollups.ts";
import { parseFlags, UsageError } from "../cli.ts";

export const reportsUsage = `Usage: pano reports rebuild [--from DATE] [--to DATE]
  Rebuilds the dashboard's hourly roll-ups from the conversations and messages; prints what it rebuilt.
  Without dates everything is rebuilt (the roll-ups are emptied first); with them, the conversations
  with something in [from, to) (ISO 8601 dates or times, UTC unless they say otherwise).`;

function date(v: string | boolean | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const t = typeof v === "string" ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) throw new UsageError(`--${name}: not a date (e.g. 2026-03-01 or 2026-03-01T08:00:00+07:00)`);
  return t;
}

export async function reportsCommand(argv: string[]): Promise<number> {
  const { flags, rest } = parseFlags(argv, { help: "boolean", from: "string", to: "string" });
  if (flags.help) return console.log(reportsUsage), 0;
  if (rest[0] !== "rebuild" || rest.length > 1) throw new UsageError("expected: pano reports rebuild [--from DATE] [--to DATE]");
  const from = date(flags.from, "from");
  const to = date(flags.to, "to");
  if (from !== undefined && to !== undefined && from >= to) throw new UsageError("--from must be before --to");
  const config = loadConfig();
  const store = openStore(config.dataDir, { synchronous: config.synchronous, databaseUrl: config.databaseUrl });
  try {
    const started = Date.now();
    const db = store.sqlite;
    const r = await rebuildRollups(db, (work) => db.transaction(() => work(db)).immediate(), { from, to });
    const period = from === undefined && to === undefined ? "all conversations" : `conversations with activity from ${from === undefined ? "the start" : new Date(from).toISOString()} to ${to === undefined ? "now" : new Date(to).toISOString()}`;
    console.log(`report roll-ups rebuilt (${period}): ${r.conversations} conversations read, ${r.changed} written, ${r.pages} hour pages in ${Date.now() - started} ms`);
    return 0;
  } finally {
    store.close();
  }
}
