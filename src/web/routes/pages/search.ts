// /search: the search screen (server-rendered; a plain GET form, so the address is the search).
// Results come from the same store query as GET /api/v1/search, grouped by customer and conversation.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import { pageSession, type PageEnv } from "../../view-context.ts";
import { PanoError } from "../../../domain/errors.ts";
import type { SearchHit } from "../../../store/search.ts";
import { contactNames } from "../../../store/contacts.ts";
import { getConversation } from "../../../store/conversations.ts";
import { searchFilterFrom, searchPage } from "../../search-input.ts";
import { channelTeamOptions } from "./inbox-data.ts";
import { SearchPage, type CustomerGroup, type SearchForm } from "../../../../views/search/page.tsx";

const PAGE = 50;
const FIELDS = ["q", "channel_id", "status", "team_id", "from", "to", "has_attachment", "sort"] as const;

function groupHits(pano: Pano, hits: SearchHit[], unnamed: string): CustomerGroup[] {
  const db = pano.store.sqlite;
  const names = contactNames(db, hits.map((h) => h.contact_id));
  const groups = new Map<number, CustomerGroup>();
  for (const h of hits) {
    let g = groups.get(h.contact_id);
    if (!g) groups.set(h.contact_id, (g = { contactId: h.contact_id, name: names.get(h.contact_id) ?? unnamed, conversations: [] }));
    let cv = g.conversations.find((x) => x.id === h.conversation_id);
    if (!cv) {
      const row = h.conversation_id ? getConversation(db, h.conversation_id) : null;
      const ch = row ? pano.channels.get(row.channel_id) : null;
      cv = { id: h.conversation_id, channel: ch ? { name: ch.name, type: ch.type } : null, status: row?.status ?? null, hits: [] };
      g.conversations.push(cv);
    }
    cv.hits.push({ messageId: h.message_id, snippet: h.snippet, createdAt: h.created_at, private: h.private });
  }
  return [...groups.values()];
}

export function searchPageRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  app.use("*", pageSession(pano));
  app.get("/", async (c) => {
    const view = c.get("view");
    const viewer = c.get("viewer");
    const query = c.req.query();
    if (query.q?.trim()) await pano.searchReady();
    const form: SearchForm = { q: query.q ?? "" };
    for (const k of FIELDS) if (query[k]) (form as unknown as Record<string, string>)[k] = query[k];
    let error: string | null = null;
    let groups: CustomerGroup[] | null = null;
    let next: string | null = null;
    try {
      const filter = searchFilterFrom(query, { requireQuery: false });
      if (filter.q.trim()) {
        const found = searchPage(pano.store.sqlite, viewer, filter, PAGE, query.cursor);
        groups = groupHits(pano, found.rows, view.t("inbox.unknown_contact"));
        next = found.next;
      }
    } catch (err) {
      if (!(err instanceof PanoError)) throw err;
      error = err.message;
    }
    const keep = new URLSearchParams(Object.entries(form).filter(([, v]) => v) as [string, string][]);
    if (next) keep.set("cursor", next);
    const { channels, teams } = channelTeamOptions(pano, viewer);
    return c.html(SearchPage({ ctx: view, f: form, error, groups, next, nextQuery: keep.toString(), channels, teams }), error ? 422 : 200);
  });
  return app;
}
