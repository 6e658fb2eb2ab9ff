// GET /api/v1/canned-replies?team_id=: what the composer's "/" picker offers this user.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { CannedReplies, type CannedReplyRow } from "../../../store/canned-replies.ts";
import { optionalId } from "./input.ts";
import { iso, sid } from "./present.ts";

export const presentCannedReply = (r: CannedReplyRow) => ({ id: sid(r.id), team_id: sid(r.team_id), shortcut: r.shortcut, text: r.text, created_at: iso(r.created_at) });

export function cannedReplyRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const replies = new CannedReplies(pano.store.sqlite, pano.writer);

  app.get("/", (c) => {
    const viewer = c.get("viewer");
    const teamId = optionalId(c.req.query("team_id"), "team_id");
    // Agents get global replies and their teams' ones; admins and supervisors see every team's.
    const rows = replies.forTeams(viewer.role === "agent" ? viewer.teamIds : null, teamId);
    return c.json({ data: rows.map(presentCannedReply), next_cursor: null });
  });

  return app;
}
