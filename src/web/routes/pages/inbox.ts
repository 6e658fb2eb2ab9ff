// /inbox: the full page (optionally with a conversation open, ?c=<id>), the list fragment for
// filters and infinite scroll, and one row for live updates.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import { joinHtml, pageSession, type PageEnv } from "../../view-context.ts";
import { canSee, scopeOf } from "../../../domain/conversation.ts";
import { getConversation } from "../../../store/conversations.ts";
import { CannedReplies } from "../../../store/canned-replies.ts";
import { markRead } from "../../../store/conversations.ts";
import { InboxPage } from "../../../../views/inbox/page.tsx";
import { Row, RowsPage } from "../../../../views/inbox/list.tsx";
import { ConversationPane } from "../../../../views/conversation/pane.tsx";
import { liveHub } from "./live.ts";
import { ContactPanel } from "../../../../views/contact/panel.tsx";
import { filterOptions, filterQuery, loadList, matchesFilters, readFilters, toListRows } from "./inbox-data.ts";
import { paneData } from "./conversation.ts";
import { loadContactPanel } from "./contact-panel.ts";

export function inboxPageRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;
  const canned = new CannedReplies(db, pano.writer);
  app.use("*", pageSession(pano));

  app.get("/", async (c) => {
    const view = c.get("view");
    const viewer = c.get("viewer");
    const f = readFilters(c.req.query());
    if (f.q) await pano.searchReady();
    const query = filterQuery(f);
    const openId = Number(c.req.query("c")) || undefined;
    // The live stream resumes from here: what changes while this page is made and loaded is replayed.
    const liveSince = liveHub(pano).current();
    let conv = openId ? getConversation(db, openId) : null;
    if (conv && !canSee(viewer, scopeOf(conv))) conv = null;
    // Read before the list is loaded, so the open conversation's row shows no unread badge.
    if (conv?.unread_count) await pano.writer.submit((tx) => markRead(tx, conv!.id));
    const { rows, next } = loadList(pano, viewer, f, null);
    return c.html(
      InboxPage({
        ctx: view, f, query, options: filterOptions(pano, viewer), rows, next, openId: conv?.id, liveSince,
        conversation: conv ? ConversationPane({ ctx: view, d: paneData(pano, conv, c, canned) }) : undefined,
        contact: conv ? ContactPanel({ ctx: view, d: loadContactPanel(pano, viewer, conv) }) : undefined,
      }),
    );
  });

  app.get("/list", async (c) => {
    const view = c.get("view");
    const f = readFilters(c.req.query());
    if (f.q) await pano.searchReady();
    const query = filterQuery(f);
    const cursor = c.req.query("cursor") ?? null;
    const { rows, next } = loadList(pano, c.get("viewer"), f, cursor);
    const headers: Record<string, string> = {};
    // A filter change (not a next page) becomes the page's address, so reload and back keep it.
    if (!cursor) headers["HX-Push-Url"] = `/inbox${query ? `?${query}` : ""}`;
    return c.html(joinHtml(RowsPage({ ctx: view, rows, next, query, first: !cursor })), 200, headers);
  });

  // Live updates ask for one row with the list's filters: empty means "not (or no longer) here".
  app.get("/row/:id", (c) => {
    const viewer = c.get("viewer");
    const conv = getConversation(db, Number(c.req.param("id")) || 0);
    const f = readFilters(c.req.query());
    if (!conv || !canSee(viewer, scopeOf(conv)) || !matchesFilters(conv, f, viewer.userId)) return c.body(null, 204);
    if (f.q) return c.body(null, 204, { "X-Pano-Keep": "1" }); // a search list is not re-sorted live
    return c.html(joinHtml(Row({ ctx: c.get("view"), row: toListRows(pano, [conv])[0] })));
  });

  return app;
}
