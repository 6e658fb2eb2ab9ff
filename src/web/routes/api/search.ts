// GET /api/v1/search: messages and customers, Vietnamese with or without diacritics, newest first
// (or ?sort=relevance), only what the caller may see; the snippet marks the match with <mark>.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { searchFilterFrom, searchPage } from "../../search-input.ts";
import { pageLimit } from "./input.ts";
import { iso, sid } from "./present.ts";

export function searchRoutes(pano: Pano) {
  const app = new Hono<Env>();
  app.get("/", async (c) => {
    await pano.searchReady();
    const found = searchPage(pano.store.sqlite, c.get("viewer"), searchFilterFrom(c.req.query()), pageLimit(c), c.req.query("cursor"));
    return c.json({
      data: found.rows.map((h) => ({
        conversation_id: sid(h.conversation_id),
        message_id: sid(h.message_id),
        contact_id: sid(h.contact_id),
        snippet: h.snippet,
        created_at: iso(h.created_at),
        kind: h.kind,
        private: h.private,
      })),
      next_cursor: found.next,
    });
  });
  return app;
}
