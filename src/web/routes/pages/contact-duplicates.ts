// /contacts/duplicates (admins and supervisors): the suggested duplicate profiles the background
// finder kept (store/contact-duplicates.ts), each pair side by side; merge one into the other
// (the panel's merge: mergeContactsBy, audited) or say they are not the same person (remembered).
// An agent is refused (403): the list would show customers of teams she does not serve.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import { joinHtml, pageSession, renderError, type PageEnv } from "../../view-context.ts";
import { getContact, identitiesOf } from "../../../store/contacts.ts";
import { mergeContactsBy } from "../../../store/contacts-edit.ts";
import { decodePairCursor, dismissDuplicate, encodePairCursor, listDuplicatePairs, profileSummary, type PairCursor } from "../../../store/contact-duplicates.ts";
import type { SharedDetail } from "../../../domain/duplicates.ts";
import { DuplicatesPage, type PairView, type ProfileSide } from "../../../../views/contact/duplicates.tsx";

const PAGE = 20;

/** A page of suggested pairs, and the cursor of the next one. */
export function duplicatePage(pano: Pano, after: PairCursor | null, limit = PAGE): { pairs: PairView[]; next: string | null } {
  const db = pano.store.sqlite;
  const rows = listDuplicatePairs(db, limit + 1, after);
  const page = rows.slice(0, limit);
  const side = (id: number): ProfileSide => {
    const k = getContact(db, id)!;
    const s = profileSummary(db, id);
    return {
      id, name: k.name, phone: k.phone, email: k.email, conversations: s.conversations, lastActivity: s.last_activity,
      channels: identitiesOf(db, id).map((i) => ({ channelType: i.channel_type, channelName: pano.channels.get(i.channel_id)?.name ?? "" })),
    };
  };
  return {
    pairs: page.map((p) => ({ reason: p.reason, detail: JSON.parse(p.detail) as SharedDetail, a: side(p.a_id), b: side(p.b_id) })),
    next: rows.length > limit ? encodePairCursor(page[page.length - 1]) : null,
  };
}

const NOTICES = { merged: "dup.merged", dismissed: "dup.dismissed", gone: "dup.gone" } as const;

export function contactDuplicateRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;
  app.use("*", pageSession(pano));
  app.use("*", async (c, next) => {
    if (c.get("viewer").role === "agent") return renderError(c, c.get("view"), 403, c.get("view").t("dup.forbidden"));
    await next();
  });
  const back = (c: Context<PageEnv>, done: keyof typeof NOTICES) => c.redirect(`/contacts/duplicates?done=${done}`, 303);
  const ids = async (c: Context<PageEnv>, ...names: string[]) => {
    const body = await c.req.parseBody();
    return names.map((n) => Number(body[n]) || 0);
  };

  app.get("/", (c) => {
    const view = c.get("view");
    const { pairs, next } = duplicatePage(pano, decodePairCursor(c.req.query("after")));
    const done = c.req.query("done") ?? "";
    const notice = done in NOTICES ? view.t(NOTICES[done as keyof typeof NOTICES]) : null;
    return c.html(joinHtml(DuplicatesPage({ ctx: view, pairs, next, notice })));
  });

  app.post("/merge", async (c) => {
    const [survivor, other] = await ids(c, "survivor", "other");
    const live = (id: number) => { const k = getContact(db, id); return !!k && k.merged_into === null; };
    if (!survivor || !other || survivor === other || !live(survivor) || !live(other)) return back(c, "gone");
    const merged = await pano.writer.submit((tx) => mergeContactsBy(tx, survivor, other, c.get("user").id));
    return back(c, merged ? "merged" : "gone");
  });

  app.post("/dismiss", async (c) => {
    const [a, b] = await ids(c, "a", "b");
    if (!a || !b || a === b || !getContact(db, a) || !getContact(db, b)) return back(c, "gone");
    await pano.writer.submit((tx) => dismissDuplicate(tx, a, b, c.get("user").id));
    return back(c, "dismissed");
  });

  return app;
}
