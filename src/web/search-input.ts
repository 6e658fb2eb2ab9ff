// Reading a search request at the edge, the same for GET /api/v1/search and the search page:
// q plus filters (channel, status, team, date range, attachments), the order and the cursor.
import { PanoError } from "../domain/errors.ts";
import { isValidStatus } from "../domain/conversation.ts";
import { MAX_QUERY_CHARS } from "../domain/search.ts";
import type { Database } from "bun:sqlite";
import type { Viewer } from "../domain/conversation.ts";
import { searchEverything, decodeSearchCursor, type SearchFilter } from "../store/search.ts";

function id(v: string | undefined, field: string): number | undefined {
  if (v === undefined || v === "") return undefined;
  if (!/^\d{1,15}$/.test(v)) throw new PanoError("validation_failed", `${field}: must be an id`, field);
  return Number(v);
}

/** An ISO date or time; a bare date as `to` means the end of that day (UTC). */
function time(v: string | undefined, field: "from" | "to"): number | undefined {
  if (v === undefined || v === "") return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const t = Date.parse(day ? `${v}T00:00:00Z` : v);
  if (!Number.isFinite(t)) throw new PanoError("validation_failed", `${field}: must be an ISO 8601 date or time`, field);
  return day && field === "to" ? t + 86_400_000 : t;
}

export function searchFilterFrom(q: Record<string, string | undefined>, opts: { requireQuery: boolean } = { requireQuery: true }): SearchFilter {
  const text = q.q ?? "";
  if (opts.requireQuery && !text.trim()) throw new PanoError("validation_failed", "q: type something to search for", "q");
  if (text.length > MAX_QUERY_CHARS) throw new PanoError("validation_failed", `q: at most ${MAX_QUERY_CHARS} characters`, "q");
  const status = q.status || undefined;
  if (status && status !== "all" && !isValidStatus(status)) throw new PanoError("validation_failed", "status: must be open, pending, snoozed, resolved or all", "status");
  const sort = q.sort || "newest";
  if (sort !== "newest" && sort !== "relevance") throw new PanoError("validation_failed", "sort: must be newest or relevance", "sort");
  const has = q.has_attachment;
  if (has !== undefined && has !== "" && !["true", "false", "1", "0"].includes(has)) throw new PanoError("validation_failed", "has_attachment: must be true or false", "has_attachment");
  return {
    q: text,
    channelId: id(q.channel_id, "channel_id"),
    teamId: id(q.team_id, "team_id"),
    status,
    from: time(q.from, "from"),
    to: time(q.to, "to"),
    hasAttachment: has === "true" || has === "1",
    sort,
  };
}

/** One page of hits for the viewer; a cursor not from a previous page, or a query too long, is refused naming the field. */
export function searchPage(db: Database, viewer: Viewer, filter: SearchFilter, limit: number, rawCursor: string | undefined) {
  const cursor = decodeSearchCursor(rawCursor);
  if (cursor === "bad") throw new PanoError("validation_failed", "cursor: not a cursor from a previous page", "cursor");
  const found = searchEverything(db, viewer, filter, limit, cursor);
  if (!found.ok) throw new PanoError("validation_failed", "q: too long to search for", "q");
  return found;
}
