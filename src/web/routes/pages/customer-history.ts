// One customer's history (docs/customer-history.md): the full-page profile (GET /contacts/:id),
// the next page of its list (GET /contacts/:id/history, for the page and the panel alike) and an
// earlier conversation's messages unfolded in place (GET /contacts/conversations/:id/messages).
// A customer the viewer may not see is not found (404), as for the API; the list holds only the
// conversations and calls the viewer may see (store/customer-history.ts, scopeSql).
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import type { Viewer } from "../../../domain/conversation.ts";
import { PanoError } from "../../../domain/errors.ts";
import { joinHtml, pageSession, type PageEnv } from "../../view-context.ts";
import { contactVisibleTo, getContact, identitiesOf, type ContactRow } from "../../../store/contacts.ts";
import { customerHistory, decodeHistoryCursor, encodeHistoryCursor, type HistoryCursor } from "../../../store/customer-history.ts";
import { messagesBefore } from "../../../store/messages.ts";
import { userNames } from "../../../store/user-names.ts";
import { allChannelKinds } from "../../../channels/registry.ts";
import { HistoryItems, EarlierMessages, OlderEarlierMessages, type HistoryPage, type HistoryPlace } from "../../../../views/contact/history.tsx";
import { ProfilePage } from "../../../../views/contact/profile.tsx";
import { formOf } from "./contact-form.ts";
import { toMessageViews, visibleTo } from "./conversation-data.ts";

const PAGE = { panel: 10, page: 25 } as const;
const MESSAGES = 20;

/** Channel types whose conversations are calls (a switchboard kind): listed call by call. */
export const callChannelTypes = () => allChannelKinds().filter((k) => k.placesCalls || k.recording).map((k) => k.type);

/** A page of the customer's history as the views draw it, with the names it mentions. */
export function historyPage(pano: Pano, viewer: Viewer, contactId: number, place: HistoryPlace, cursor: HistoryCursor | null, currentId?: number): HistoryPage {
  const db = pano.store.sqlite;
  const { entries, next } = customerHistory(db, contactId, viewer, { limit: PAGE[place], cursor, callTypes: callChannelTypes() });
  const names = userNames(db, entries.flatMap((e) => (e.assignee_id ? [e.assignee_id] : [])));
  return { contactId, entries, names, next: next ? encodeHistoryCursor(next) : null, currentId };
}

/** The customer in the path, as its survivor when it was merged, if the viewer may see them. */
function visibleContact(pano: Pano, c: Context<PageEnv>): ContactRow {
  const db = pano.store.sqlite;
  const found = getContact(db, Number(c.req.param("id")));
  const k = found?.merged_into ? getContact(db, found.merged_into) : found;
  if (!k || !contactVisibleTo(db, k.id, c.get("viewer"))) throw new PanoError("not_found", "Contact not found");
  return k;
}

export function customerHistoryRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;
  app.use("*", pageSession(pano));

  app.get("/:id{[0-9]+}", (c) => {
    const k = visibleContact(pano, c);
    if (String(k.id) !== c.req.param("id")) return c.redirect(`/contacts/${k.id}`, 302);
    const viewer = c.get("viewer");
    return c.html(joinHtml(ProfilePage({
      ctx: c.get("view"),
      d: {
        id: k.id, name: k.name, avatarUrl: k.avatar_url, phone: k.phone, email: k.email, createdAt: k.created_at,
        identities: identitiesOf(db, k.id).map((i) => ({ channelType: i.channel_type, channelName: pano.channels.get(i.channel_id)?.name ?? "", externalId: i.external_id })),
        attributes: formOf(k).attrs,
        history: historyPage(pano, viewer, k.id, "page", null),
        showDuplicates: viewer.role !== "agent",
      },
    })));
  });

  app.get("/:id{[0-9]+}/history", (c) => {
    const k = visibleContact(pano, c);
    const place: HistoryPlace = c.req.query("place") === "panel" ? "panel" : "page";
    const cursor = decodeHistoryCursor(c.req.query("cursor"));
    if (!cursor) throw new PanoError("validation_failed", "cursor: not a history cursor", "cursor");
    const current = Number(c.req.query("c")) || undefined;
    return c.html(joinHtml(HistoryItems({ ctx: c.get("view"), place, page: historyPage(pano, c.get("viewer"), k.id, place, cursor, current) })));
  });

  app.get("/conversations/:conv{[0-9]+}/messages", (c) => {
    const conv = visibleTo(pano, c, c.req.param("conv"));
    const older = Number(c.req.query("before")) || null;
    const before = older ?? Number.MAX_SAFE_INTEGER;
    const rows = messagesBefore(db, conv.id, before, MESSAGES + 1);
    const more = rows.length > MESSAGES;
    const page = more ? rows.slice(1) : rows;
    const view = c.get("view");
    const d = { ctx: view, conversationId: conv.id, messages: toMessageViews(pano, conv, page, view.lang), olderBefore: more ? page[0].id : null };
    // The first page comes with its frame; an older one slots in above the messages already shown.
    return c.html(joinHtml(older ? OlderEarlierMessages(d) : EarlierMessages(d)));
  });

  return app;
}
