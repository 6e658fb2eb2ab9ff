// /api/v1/canned-replies: what the composer's "/" picker offers (GET, any user; with
// ?conversation_id= also filled in for it), and CRUD for admins and supervisors (the same rules
// as the settings page).
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { requireRole } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { CannedReplies, cannedReplySchema, type CannedReplyInput, type CannedReplyRow } from "../../../store/canned-replies.ts";
import { idParam, optionalId, readJson, pageInOrder, patchOf } from "./input.ts";
import { iso, sid } from "./present.ts";
import { fillVariables, unknownVariables } from "../../../domain/reply-variables.ts";
import { replyVariables } from "../../../store/reply-variables.ts";
import { visibleConversation } from "./conversations.ts";

export const presentCannedReply = (r: CannedReplyRow) => ({ id: sid(r.id), team_id: sid(r.team_id), shortcut: r.shortcut, text: r.text, created_at: iso(r.created_at) });

// Not .partial(): that would apply team_id's default (null) to a PATCH that leaves team_id out,
// moving the reply to "everyone".
const patchSchema = patchOf(cannedReplySchema);

export function cannedReplyRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const replies = new CannedReplies(pano.store.sqlite, pano.writer);
  const managers = requireRole("admin", "supervisor");
  const actor = (c: Context<Env>) => ({ type: "api" as const, id: c.get("user").id });

  const checked = (input: CannedReplyInput, exceptId = 0): CannedReplyInput => {
    if (input.teamId !== null && !replies.teamExists(input.teamId)) throw new PanoError("validation_failed", `team_id: no team ${input.teamId}`, "team_id");
    if (replies.clash(input, exceptId)) throw new PanoError("conflict", `The shortcut "${input.shortcut}" is already used in this team`);
    const unknown = unknownVariables(input.text);
    if (unknown.length) throw new PanoError("validation_failed", `text: unknown variable ${unknown.join(", ")}`, "text");
    return input;
  };
  const found = (c: Context<Env>) => {
    const r = replies.getVisible(c.get("viewer"), idParam(c));
    if (!r) throw new PanoError("not_found", "Canned reply not found");
    return r;
  };

  /** ?conversation_id=: each reply also comes filled in for that conversation and the caller, as the composer inserts it. */
  const presenter = (c: Context<Env>) => {
    const convId = optionalId(c.req.query("conversation_id"), "conversation_id");
    if (convId === undefined) return presentCannedReply;
    const values = replyVariables(pano.store.sqlite, visibleConversation(pano, c, convId), c.get("user").name);
    return (r: CannedReplyRow) => {
      const filled = fillVariables(r.text, values);
      return { ...presentCannedReply(r), filled_text: filled.text, missing_variables: filled.missing };
    };
  };

  app.get("/", (c) => {
    const teamId = optionalId(c.req.query("team_id"), "team_id");
    const rows = replies.visibleTo(c.get("viewer"), teamId);
    const page = pageInOrder(c, rows);
    return c.json({ data: page.data.map(presenter(c)), next_cursor: page.next_cursor });
  });

  app.get("/:id", (c) => c.json(presenter(c)(found(c))));

  app.post("/", managers, async (c) => {
    const body = await readJson(c, cannedReplySchema);
    const input = checked({ teamId: body.team_id, shortcut: body.shortcut, text: body.text });
    return c.json(presentCannedReply(await replies.create(input, actor(c))), 201);
  });

  app.patch("/:id", managers, async (c) => {
    const cur = found(c);
    const body = await readJson(c, patchSchema);
    const input = checked({ teamId: body.team_id === undefined ? cur.team_id : body.team_id, shortcut: body.shortcut ?? cur.shortcut, text: body.text ?? cur.text }, cur.id);
    return c.json(presentCannedReply((await replies.update(cur.id, input, actor(c)))!));
  });

  app.delete("/:id", managers, async (c) => {
    await replies.remove(found(c).id, actor(c));
    return c.body(null, 204);
  });

  return app;
}
