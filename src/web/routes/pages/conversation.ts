// /conversations/:id fragments for the inbox's middle pane: open, older history, live sync,
// one message, reply/note, retry. Actions (assign, status...) are in conversation-actions.ts.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import { joinHtml, pageSession, renderError, type PageEnv } from "../../view-context.ts";
import { markRead, type ConversationRow } from "../../../store/conversations.ts";
import { getMessage } from "../../../store/messages.ts";
import { requeue } from "../../../store/outbound.ts";
import { lastConversationAuditId } from "../../../store/audit.ts";
import { CannedReplies } from "../../../store/canned-replies.ts";
import { earlierConversations } from "../../../store/conversation-history.ts";
import { replyVariables } from "../../../store/reply-variables.ts";
import { fillVariables } from "../../../domain/reply-variables.ts";
import { PanoError } from "../../../domain/errors.ts";
import { chosenFiles, filesProblem } from "../../reply-files.ts";
import { channelReplyRules, postReply } from "../../reply.ts";
import { ConversationPane, type ConversationPaneData } from "../../../../views/conversation/pane.tsx";
import { Items, Message, OlderSentinel } from "../../../../views/conversation/timeline.tsx";
import type { ComposerState } from "../../../../views/conversation/composer.tsx";
import { ConversationHeader } from "../../../../views/conversation/header.tsx";
import { ContactPanel } from "../../../../views/contact/panel.tsx";
import { actionOptions, loadHead, timelinePage, timelineSince, toMessageViews, visibleTo } from "./conversation-data.ts";
import { loadContactPanel } from "./contact-panel.ts";
import { templateOffer } from "./new-message.ts";
import { conversationActionRoutes } from "./conversation-actions.ts";
import { agentsHere } from "./conversation-presence.ts";
import { replyQuestions, seenField } from "../../reply-questions.ts";
import { ComposerAsk } from "../../../../views/conversation/collision.tsx";
import { loadRemoteImages } from "../../../channels/email/remote-images.ts";

function composerState(pano: Pano, conv: ConversationRow, c: Context<PageEnv>, canned: CannedReplies): ComposerState {
  const { lang, t } = c.get("view");
  const viewer = c.get("viewer");
  const ch = pano.channels.get(conv.channel_id);
  const verdict = !ch ? { canSend: false, reasonText: t("composer.channel_gone") }
    : ch.status === "paused" ? { canSend: false, reasonText: t("composer.channel_paused") }
    : (() => {
      const v = channelReplyRules(pano, conv, ch) ?? { canSend: true };
      return { canSend: v.canSend, reasonText: v.reason ? v.reason[lang] : null, limit: v.limit, meter: v.meter };
    })();
  return {
    conversationId: conv.id, canSend: verdict.canSend, reason: verdict.reasonText ?? null, limit: ("limit" in verdict ? verdict.limit : null) ?? null, meter: ("meter" in verdict ? verdict.meter : null) ?? null,
    // Variables are filled for this conversation as the composer opens; a missing value stays a placeholder (flagged).
    canned: cannedFor(pano, conv, c, canned),
    maxFileMb: maxFileMb(pano),
    copilot: !!pano.config.llmUrl,
    templateOffer: !verdict.canSend && ch ? templateOffer(pano, conv, ch) : null,
  };
}

function cannedFor(pano: Pano, conv: ConversationRow, c: Context<PageEnv>, canned: CannedReplies): ComposerState["canned"] {
  const rows = canned.visibleTo(c.get("viewer"), conv.team_id ?? undefined);
  const values = rows.some((r) => r.text.includes("{{")) ? replyVariables(pano.store.sqlite, conv, c.get("user").name) : null;
  return rows.map((r) => ({ shortcut: r.shortcut, text: values ? fillVariables(r.text, values).text : r.text }));
}

const maxFileMb = (pano: Pano) => Math.round((pano.config.maxAttachmentBytes / 1024 / 1024) * 10) / 10;

export function paneData(pano: Pano, conv: ConversationRow, c: Context<PageEnv>, canned: CannedReplies): ConversationPaneData {
  const view = c.get("view");
  // ?m=<message id>: opened from a search result; its message must be on the page.
  const focus = Number(c.req.query("m")) || null;
  const page = timelinePage(pano, conv, view.lang, null, focus);
  return {
    head: loadHead(pano, conv), options: actionOptions(pano, c.get("viewer")), items: page.items, olderBefore: page.olderBefore,
    auditFloor: lastConversationAuditId(pano.store.sqlite, conv.id), composer: composerState(pano, conv, c, canned),
    earlier: earlierConversations(pano.store.sqlite, conv.contact_id, conv.id, c.get("viewer")),
  };
}

export function conversationPageRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;
  const canned = new CannedReplies(db, pano.writer);
  app.use("*", pageSession(pano));

  app.get("/:id", async (c) => {
    const conv = visibleTo(pano, c, c.req.param("id"));
    if (!c.req.header("hx-request")) return c.redirect(`/inbox?c=${conv.id}`, 302);
    if (conv.unread_count) await pano.writer.submit((tx) => markRead(tx, conv.id));
    const view = c.get("view");
    const contact = loadContactPanel(pano, c.get("viewer"), conv);
    return c.html(joinHtml(ConversationPane({ ctx: view, d: paneData(pano, conv, c, canned) }), ContactPanel({ ctx: view, d: contact, oob: true })));
  });

  // Live: someone else changed it (assigned, resolved); the header shows the new state.
  app.get("/:id/head", (c) => {
    const conv = visibleTo(pano, c, c.req.param("id"));
    return c.html(joinHtml(ConversationHeader({ ctx: c.get("view"), head: loadHead(pano, conv), options: actionOptions(pano, c.get("viewer")) })));
  });

  app.get("/:id/older", (c) => {
    const conv = visibleTo(pano, c, c.req.param("id"));
    const before = Number(c.req.query("before"));
    if (!Number.isInteger(before) || before <= 0) return renderError(c, c.get("view"), 400, c.get("view").t("error.generic"));
    const page = timelinePage(pano, conv, c.get("view").lang, before);
    const view = c.get("view");
    return c.html(joinHtml(OlderSentinel({ ctx: view, conversationId: conv.id, beforeId: page.olderBefore }), Items({ ctx: view, items: page.items, conversationId: conv.id })));
  });

  // Live sync: everything after what the screen has (pano.js sends its highest ids).
  app.get("/:id/since", (c) => {
    const conv = visibleTo(pano, c, c.req.param("id"));
    const afterMsg = Number(c.req.query("msg")) || 0;
    const afterAudit = Number(c.req.query("audit")) || 0;
    return c.html(joinHtml(Items({ ctx: c.get("view"), items: timelineSince(pano, conv, c.get("view").lang, afterMsg, afterAudit), conversationId: conv.id })));
  });

  app.get("/:id/messages/:mid", async (c) => {
    const conv = visibleTo(pano, c, c.req.param("id"));
    const m = getMessage(db, Number(c.req.param("mid")));
    if (!m || m.conversation_id !== conv.id) throw new PanoError("not_found", "Message not found");
    // ?images=1: the agent asked to see this mail's pictures from outside servers.
    const showImages = c.req.query("images") === "1";
    if (showImages) await loadRemoteImages();
    return c.html(joinHtml(Message({ ctx: c.get("view"), m: toMessageViews(pano, conv, [m], c.get("view").lang, { showImages })[0], conversationId: conv.id })));
  });

  app.post("/:id/messages", async (c) => {
    const conv = visibleTo(pano, c, c.req.param("id"));
    const view = c.get("view");
    const body = await c.req.parseBody({ all: true });
    const text = typeof body.text === "string" ? body.text.replace(/\r\n/g, "\n").trim() : "";
    const isNote = body.mode === "note";
    const { files } = chosenFiles(body);
    if (!text && !files.length) return renderError(c, view, 422, view.t("composer.empty"));
    const problem = filesProblem(files, pano.config.maxAttachmentBytes);
    if (problem?.kind === "too_many") return renderError(c, view, 422, view.t("composer.too_many_files", { n: problem.max }));
    if (problem?.kind === "too_large") return renderError(c, view, 422, view.t("composer.file_too_large", { name: problem.name, n: maxFileMb(pano) }));
    const state = composerState(pano, conv, c, canned);
    if (!isNote && !state.canSend) return renderError(c, view, 422, state.reason ?? view.t("composer.cannot_send"));
    if (!isNote && state.limit && text.length > state.limit) return renderError(c, view, 422, view.t("composer.too_long", { n: state.limit }));
    if (text.length > 20_000) return renderError(c, view, 422, view.t("composer.too_long", { n: 20_000 }));
    const ask = !isNote && body.confirm !== "1" ? replyQuestions(db, conv.id, c.get("user").id, text, seenField(body.seen)) : null;
    if (ask && c.req.header("hx-request")) return c.html(joinHtml(ComposerAsk({ ctx: view, q: ask })), 200, { "HX-Retarget": "#composer-ask", "HX-Reswap": "innerHTML" });
    if (ask?.missing.length) return renderError(c, view, 422, view.t("variables.missing_ask", { names: ask.missing.join(", ") }));
    await postReply(pano, conv, { text, private: isNote, files, userId: c.get("user").id });
    agentsHere(pano).stoppedTyping(conv.id, c.get("user").id);
    if (!c.req.header("hx-request")) return c.redirect(`/inbox?c=${conv.id}`, 303);
    // The timeline picks the new message up through its live sync.
    return c.body(null, 204, { "HX-Trigger": "pano:sent" });
  });

  app.post("/:id/messages/:mid/retry", async (c) => {
    const conv = visibleTo(pano, c, c.req.param("id"));
    const mid = Number(c.req.param("mid"));
    const m = getMessage(db, mid);
    if (!m || m.conversation_id !== conv.id) throw new PanoError("not_found", "Message not found");
    await pano.writer.submit((tx) => requeue(tx, mid));
    const fresh = getMessage(db, mid)!;
    return c.html(joinHtml(Message({ ctx: c.get("view"), m: toMessageViews(pano, conv, [fresh], c.get("view").lang)[0], conversationId: conv.id })));
  });

  app.route("/", conversationActionRoutes(pano));
  return app;
}
