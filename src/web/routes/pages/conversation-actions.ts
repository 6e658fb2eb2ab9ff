// POST /conversations/:id/actions: assign (me, an agent, a team), status (resolve, pending,
// snooze until, reopen), priority, labels, and corrections of the triage's intent and urgency.
// The store audits each change; the timeline shows the audit rows.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import { renderError, joinHtml, type PageEnv } from "../../view-context.ts";
import { isValidIntent, isValidPriority, isValidStatus, mayMoveToTeam } from "../../../domain/conversation.ts";
import type { ConversationPatch } from "../../../store/conversations.ts";
import { editConversation, missingTarget } from "../../../store/conversation-edit.ts";
import { ConversationHeader } from "../../../../views/conversation/header.tsx";
import { actionOptions, loadHead, visibleTo } from "./conversation-data.ts";
import { conversationTypingRoutes } from "./conversation-typing.ts";
import { conversationPresenceRoutes } from "./conversation-presence.ts";
import { conversationMacroRoutes } from "./conversation-macros.ts";
import { callOutcomePageRoutes } from "./call-outcome.ts";
import { copilotRoutes } from "./copilot.ts";

/** "2026-11-25T09:30" typed in `timeZone` -> epoch ms. */
export function zonedToUtc(local: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  const offsetAt = (ms: number) => {
    const p = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" }).formatToParts(ms);
    const g = (k: string) => Number(p.find((x) => x.type === k)?.value);
    return Date.UTC(g("year"), g("month") - 1, g("day"), g("hour"), g("minute")) - Math.floor(ms / 60_000) * 60_000;
  };
  const first = wall - offsetAt(wall);
  return wall - offsetAt(first);
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

export function conversationActionRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  // The composer's typing signal, beside the other things an agent does to a conversation.
  app.route("/", conversationTypingRoutes(pano));
  app.route("/", conversationPresenceRoutes(pano));
  app.route("/", conversationMacroRoutes(pano));
  app.route("/", callOutcomePageRoutes(pano));
  app.route("/", copilotRoutes(pano));

  app.post("/:id/actions", async (c) => {
    const conv = visibleTo(pano, c, c.req.param("id"));
    const view = c.get("view");
    const user = c.get("user");
    const body = await c.req.parseBody();
    const action = str(body.action);
    const invalid = () => renderError(c, view, 422, view.t("conv.action_invalid"));
    const patch: ConversationPatch = {};
    switch (action) {
      case "assign_me": patch.assigneeId = user.id; break;
      case "assign": {
        const id = str(body.assignee);
        if (id && !/^\d+$/.test(id)) return invalid();
        patch.assigneeId = id ? Number(id) : null;
        break;
      }
      case "team": {
        const id = str(body.team);
        if (id && !/^\d+$/.test(id)) return invalid();
        patch.teamId = id ? Number(id) : null;
        if (!mayMoveToTeam(c.get("viewer"), patch.teamId)) return renderError(c, view, 403, view.t("macro.err.team_not_visible"));
        break;
      }
      case "status": {
        const s = str(body.status);
        if (!isValidStatus(s) || s === "snoozed") return invalid();
        patch.status = s;
        break;
      }
      case "snooze": {
        const until = zonedToUtc(str(body.until), view.timeZone);
        if (!until || until <= Date.now()) return renderError(c, view, 422, view.t("conv.snooze_invalid"));
        patch.status = "snoozed";
        patch.snoozedUntil = until;
        break;
      }
      case "priority": {
        const p = str(body.priority);
        if (!isValidPriority(p)) return invalid();
        patch.priority = p;
        break;
      }
      case "labels": patch.labels = str(body.labels).split(/[,#]/).map((l) => l.trim()).filter(Boolean).slice(0, 50); break;
      case "intent": {
        const i = str(body.intent);
        if (i && !isValidIntent(i)) return invalid();
        patch.intent = i || null;
        break;
      }
      case "urgent": {
        // The priority follows (editConversation): a "not urgent" conversation leaves the top of the queue too.
        patch.urgent = str(body.urgent) === "1";
        break;
      }
      default: return invalid();
    }
    if (missingTarget(pano.store.sqlite, patch, (id) => !!pano.users.byId(id))) return invalid();
    const updated = await pano.writer.submit((tx) => editConversation(tx, conv.id, patch, user.id));
    if (!c.req.header("hx-request")) return c.redirect(`/inbox?c=${conv.id}`, 303);
    const header = ConversationHeader({ ctx: view, head: loadHead(pano, updated!), options: actionOptions(pano, c.get("viewer")) });
    return c.html(joinHtml(header), 200, { "HX-Trigger": JSON.stringify({ "pano:changed": { id: conv.id } }) });
  });

  return app;
}
