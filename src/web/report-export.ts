// Conversations and messages of a range as CSV, streamed: one page of rows is read per chunk the
// client pulls, so a long range never sits in memory. Cells go through the one CSV writer (formula
// neutralising); the file starts with a UTF-8 byte-order mark for Excel. Times are local times in
// the caller's zone ("2026-03-02 08:30:00"), which spreadsheets read as dates; the header names the zone.
import type { Context } from "hono";
import type { Pano } from "../pano.ts";
import { PanoError } from "../domain/errors.ts";
import { zoneOffsetMinutes } from "../domain/report-series.ts";
import { conversationExportPage, messageExportPage, type ExportFilter } from "../store/report-export.ts";
import { optionalId } from "./routes/api/input.ts";
import { parseTime } from "./report-summary.ts";
import { CSV_BOM, csvRow } from "./csv.ts";

const PAGE = 500;

function localTime(ms: number | null, tz: string): string {
  if (ms === null) return "";
  return new Date(ms + zoneOffsetMinutes(ms, tz) * 60_000).toISOString().slice(0, 19).replace("T", " ");
}

type Column<R> = [string, (r: R, tz: string) => unknown];

const CONVERSATION_COLUMNS: Column<ReturnType<typeof conversationExportPage>[number]>[] = [
  ["id", (r) => r.id], ["channel_id", (r) => r.channel_id], ["channel_type", (r) => r.channel_type], ["channel_name", (r) => r.channel_name],
  ["contact_id", (r) => r.contact_id], ["contact_name", (r) => r.contact_name], ["status", (r) => r.status],
  ["assignee_id", (r) => r.assignee_id], ["assignee_name", (r) => r.assignee_name], ["team_id", (r) => r.team_id],
  ["priority", (r) => r.priority], ["intent", (r) => r.intent], ["labels", (r) => (JSON.parse(r.labels) as string[]).join(" ")],
  ["subject", (r) => r.subject], ["created_at", (r, tz) => localTime(r.created_at, tz)], ["first_response_at", (r, tz) => localTime(r.first_response_at, tz)],
  ["resolved_at", (r, tz) => localTime(r.resolved_at, tz)], ["previous_conversation_id", (r) => r.previous_conversation_id], ["message_count", (r) => r.message_count],
];

const MESSAGE_COLUMNS: Column<ReturnType<typeof messageExportPage>[number]>[] = [
  ["id", (r) => r.id], ["conversation_id", (r) => r.conversation_id], ["channel_type", (r) => r.channel_type], ["direction", (r) => r.direction],
  ["private", (r) => r.private], ["author_type", (r) => r.author_type], ["author_id", (r) => r.author_id], ["author_name", (r) => r.author_name],
  ["text", (r) => r.text], ["status", (r) => r.status], ["created_at", (r, tz) => localTime(r.created_at, tz)],
];

export function exportFilter(q: (name: string) => string | undefined): ExportFilter {
  const to = parseTime(q("to"), "to", Date.now());
  const from = parseTime(q("from"), "from", to - 7 * 86400_000);
  if (from >= to) throw new PanoError("validation_failed", "from: must be before to", "from");
  return { from, to, teamId: optionalId(q("team_id"), "team_id"), channelId: optionalId(q("channel_id"), "channel_id") };
}

function streamCsv<R extends { id: number }>(c: Context, name: string, columns: Column<R>[], page: (afterId: number) => R[], tz: string): Response {
  const enc = new TextEncoder();
  let after = 0;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    pull(ctrl) {
      if (!started) {
        started = true;
        ctrl.enqueue(enc.encode(CSV_BOM + csvRow(columns.map(([n]) => (n.endsWith("_at") ? `${n} (${tz})` : n))) + "\n"));
        return;
      }
      const rows = page(after);
      if (!rows.length) return ctrl.close();
      after = rows[rows.length - 1].id;
      ctrl.enqueue(enc.encode(rows.map((r) => csvRow(columns.map(([, f]) => f(r, tz)))).join("\n") + "\n"));
    },
  });
  return c.body(body, 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"` });
}

export function conversationsCsv(c: Context, pano: Pano, f: ExportFilter, tz: string): Response {
  return streamCsv(c, "pano-conversations.csv", CONVERSATION_COLUMNS, (after) => conversationExportPage(pano.store.sqlite, f, after, PAGE), tz);
}

export function messagesCsv(c: Context, pano: Pano, f: ExportFilter, tz: string): Response {
  return streamCsv(c, "pano-messages.csv", MESSAGE_COLUMNS, (after) => messageExportPage(pano.store.sqlite, f, after, PAGE), tz);
}
