// Settings > Canned replies: admins and supervisors add, edit and delete them, per team or for all.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import type { PageEnv } from "../../view-context.ts";
import { PanoError } from "../../../domain/errors.ts";
import { CannedReplies, cannedReplySchema, type CannedReplyInput, type CannedReplyRow } from "../../../store/canned-replies.ts";
import { teamNames } from "../../../store/teams.ts";
import { unknownVariables } from "../../../domain/reply-variables.ts";
import { CannedRepliesPage, CannedReplyEditPage, type CannedForm } from "../../../../views/settings/canned-replies.tsx";
import type { Translate } from "../../../../views/i18n/index.ts";
import { issuesByField, readForm, text, type FieldErrors, type FormValues } from "./settings-form.ts";
import { noticeFrom, redirectWithNotice } from "./settings-notice.ts";

/** Form -> a valid reply, or the errors to show beside each field. */
function check(replies: CannedReplies, f: FormValues, t: Translate, exceptId = 0): { ok: true; input: CannedReplyInput } | { ok: false; form: CannedForm } {
  const values = { team_id: text(f, "team_id"), shortcut: text(f, "shortcut").replace(/^\//, ""), text: text(f, "text") };
  const raw = { ...values, team_id: values.team_id || null };
  const parsed = cannedReplySchema.safeParse(raw);
  const errors: FieldErrors = parsed.success ? {} : issuesByField(parsed.error, t, raw);
  if (errors.shortcut && values.shortcut) errors.shortcut = t("settings.canned.shortcut_format");
  if (parsed.success) {
    const input = { teamId: parsed.data.team_id, shortcut: parsed.data.shortcut, text: parsed.data.text };
    const unknown = unknownVariables(input.text);
    if (input.teamId !== null && !replies.teamExists(input.teamId)) errors.team_id = t("settings.err.choice");
    else if (replies.clash(input, exceptId)) errors.shortcut = t("settings.err.duplicate");
    if (unknown.length) errors.text = t("variables.unknown", { names: unknown.join(", ") });
    if (!Object.keys(errors).length) return { ok: true, input };
  }
  return { ok: false, form: { values, errors, formError: t("settings.fix_errors") } };
}

const formOf = (r: CannedReplyRow): CannedForm => ({ values: { team_id: r.team_id === null ? "" : String(r.team_id), shortcut: r.shortcut, text: r.text }, errors: {} });

export function cannedReplySettings(pano: Pano) {
  const app = new Hono<PageEnv>();
  const replies = new CannedReplies(pano.store.sqlite, pano.writer);
  const teams = () => teamNames(pano.store.sqlite);
  const actor = (c: Context<PageEnv>) => ({ type: "user" as const, id: c.get("user").id });
  const replyOr404 = (c: Context<PageEnv>) => {
    const r = replies.get(Number(c.req.param("id")));
    if (!r) throw new PanoError("not_found", "Canned reply not found");
    return r;
  };
  const listPage = (c: Context<PageEnv>, form: CannedForm, status: 200 | 422 = 200) =>
    c.html(CannedRepliesPage({ ctx: c.get("view"), replies: replies.list(), teams: teams(), form, notice: status === 200 ? noticeFrom(c) : null }), status);

  app.get("/", (c) => listPage(c, { values: {}, errors: {} }));

  app.post("/", async (c) => {
    const r = check(replies, await readForm(c), c.get("view").t);
    if (!r.ok) return listPage(c, r.form, 422);
    await replies.create(r.input, actor(c));
    return redirectWithNotice(c, "/settings/canned-replies", "saved");
  });

  app.get("/:id{[0-9]+}", (c) => c.html(CannedReplyEditPage({ ctx: c.get("view"), id: replyOr404(c).id, teams: teams(), form: formOf(replyOr404(c)) })));

  app.post("/:id{[0-9]+}", async (c) => {
    const cur = replyOr404(c);
    const r = check(replies, await readForm(c), c.get("view").t, cur.id);
    if (!r.ok) return c.html(CannedReplyEditPage({ ctx: c.get("view"), id: cur.id, teams: teams(), form: r.form }), 422);
    await replies.update(cur.id, r.input, actor(c));
    return redirectWithNotice(c, "/settings/canned-replies", "saved");
  });

  app.post("/:id{[0-9]+}/delete", async (c) => {
    await replies.remove(replyOr404(c).id, actor(c));
    return redirectWithNotice(c, "/settings/canned-replies", "deleted");
  });

  return app;
}
