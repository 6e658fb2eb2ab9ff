// /api/v1/conversations: the queue, one conversation, its messages, replies and notes.
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { CONVERSATION_STATUSES, PRIORITIES, INTENTS, canSee, scopeOf, isValidIntent, isValidPriority, isValidStatus, mayMoveToTeam } from "../../../domain/conversation.ts";
import { listConversations, getConversation, decodeCursor, type ConversationPatch } from "../../../store/conversations.ts";
import { editConversation, missingTarget } from "../../../store/conversation-edit.ts";
import { messagesAfter, attachmentsFor } from "../../../store/messages.ts";
import { getMessage } from "../../../store/messages.ts";
import { chosenFiles, filesProblem, isMultipart } from "../../reply-files.ts";
import { postReply } from "../../reply.ts";
import { readJson, idParam, pageLimit, optionalId, cursorAfterId, idCursor } from "./input.ts";
import { presentConversation, presentMessage, isRingingCall } from "./present.ts";
import { recordCsat } from "../../../store/reports.ts";
import { surveyOfConversation, answerSurvey, responseOfSurvey, presentSurvey } from "../../../store/csat.ts";

const idOrNull = z.union([z.string().regex(/^\d+$/), z.number().int().positive(), z.null()]).transform((v) => (v === null ? null : Number(v)));
const patchSchema = z.object({
  status: z.enum(CONVERSATION_STATUSES).optional(),
  assignee_id: idOrNull.optional(),
  team_id: idOrNull.optional(),
  priority: z.enum(PRIORITIES).optional(),
  labels: z.array(z.string().min(1).max(50)).max(50).optional(),
  intent: z.enum(INTENTS).nullable().optional(),
  urgent: z.boolean().optional(),
  snoozed_until: z.iso.datetime({ offset: true }).refine((v) => Date.parse(v) > Date.now(), "must be in the future").nullable().optional(),
});
const csatSchema = z.object({ rating: z.number().int().min(1).max(5), comment: z.string().max(2000).optional() });
const replySchema = z.object({ text: z.string().trim().min(1, "must not be empty").max(20_000), private: z.boolean().optional().default(false) });

// multipart/form-data: `text`, `private` ("true"), and up to ten `files`; text may be empty when files come.
async function readReplyForm(c: Context<Env>, pano: Pano) {
  let form: Record<string, string | File | (string | File)[]>;
  try {
    form = await c.req.parseBody({ all: true });
  } catch {
    throw new PanoError("bad_request", "The multipart body could not be read");
  }
  const text = typeof form.text === "string" ? form.text.replace(/\r\n/g, "\n").trim() : "";
  if (text.length > 20_000) throw new PanoError("validation_failed", "text: at most 20000 characters", "text");
  const { files, textInFiles } = chosenFiles(form);
  if (textInFiles) throw new PanoError("validation_failed", "files: must be files, not text", "files");
  if (!text && !files.length) throw new PanoError("validation_failed", "text: must not be empty without files", "text");
  const problem = filesProblem(files, pano.config.maxAttachmentBytes);
  if (problem?.kind === "too_many") throw new PanoError("validation_failed", `files: at most ${problem.max} files per reply`, "files");
  if (problem?.kind === "too_large") throw new PanoError("payload_too_large", `files: ${problem.name} is over ${problem.maxBytes} bytes`, "files");
  return { text, private: form.private === "true" || form.private === "1", files };
}

export function visibleConversation(pano: Pano, c: Context<Env>, id: number) {
  const conv = getConversation(pano.store.sqlite, id);
  // Outside the viewer's teams it does not exist for them (404, not 403: no leak of existence).
  if (!conv || !canSee(c.get("viewer"), scopeOf(conv))) throw new PanoError("not_found", "Conversation not found");
  return conv;
}

export function conversationRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const db = pano.store.sqlite;

  app.get("/", async (c) => {
    const q = c.req.query();
    if (q.q?.trim()) await pano.searchReady();
    const status = q.status ?? "open";
    if (status !== "all" && !isValidStatus(status)) throw new PanoError("validation_failed", "status: must be open, pending, snoozed, resolved or all", "status");
    if (q.priority && !isValidPriority(q.priority)) throw new PanoError("validation_failed", "priority: must be urgent, high, normal or low", "priority");
    if (q.intent && !isValidIntent(q.intent)) throw new PanoError("validation_failed", "intent: unknown intent", "intent");
    if (q.cursor && !decodeCursor(q.cursor)) throw new PanoError("validation_failed", "cursor: not a cursor from a previous page", "cursor");
    const assignee = q.assignee_id === "me" ? c.get("user").id : q.assignee_id === "none" ? ("none" as const) : optionalId(q.assignee_id, "assignee_id");
    const { rows, next } = listConversations(
      db, c.get("viewer"),
      { status, assigneeId: assignee, teamId: optionalId(q.team_id, "team_id"), channelId: optionalId(q.channel_id, "channel_id"), label: q.label, intent: q.intent, priority: q.priority, q: q.q, order: "recent" },
      pageLimit(c), q.cursor ?? null,
    );
    return c.json({ data: rows.map(presentConversation), next_cursor: next });
  });

  app.get("/:id", (c) => c.json(presentConversation(visibleConversation(pano, c, idParam(c)))));

  app.patch("/:id", async (c) => {
    const conv = visibleConversation(pano, c, idParam(c));
    const body = await readJson(c, patchSchema);
    const patch: ConversationPatch = {
      status: body.status, priority: body.priority, labels: body.labels, intent: body.intent, urgent: body.urgent,
      assigneeId: body.assignee_id, teamId: body.team_id,
      snoozedUntil: body.snoozed_until === undefined ? undefined : body.snoozed_until === null ? null : Date.parse(body.snoozed_until),
    };
    if (!mayMoveToTeam(c.get("viewer"), patch.teamId)) throw new PanoError("forbidden", "team_id: an agent moves conversations only into their own teams");
    const missing = missingTarget(db, patch, (id) => !!pano.users.byId(id));
    if (missing) throw new PanoError("validation_failed", `${missing}: no such ${missing === "team_id" ? "team" : "user"}`, missing);
    const user = c.get("user");
    const updated = await pano.writer.submit((tx) => editConversation(tx, conv.id, patch, user.id));
    return c.json(presentConversation(updated!));
  });

  app.get("/:id/messages", (c) => {
    const conv = visibleConversation(pano, c, idParam(c));
    const limit = pageLimit(c);
    const after = cursorAfterId(c) ?? 0;
    const rows = messagesAfter(db, conv.id, after, limit + 1);
    const page = rows.slice(0, limit);
    const files = attachmentsFor(db, page.map((m) => m.id));
    const next = rows.length > limit ? idCursor(page[page.length - 1].id) : null;
    const shown = page.filter((m) => !isRingingCall(m.meta));
    return c.json({ data: shown.map((m) => presentMessage(m, files.get(m.id) ?? [], pano.config.publicUrl)), next_cursor: next });
  });

  app.post("/:id/messages", async (c) => {
    const conv = visibleConversation(pano, c, idParam(c));
    const body = isMultipart(c.req.header("content-type")) ? await readReplyForm(c, pano) : { ...(await readJson(c, replySchema)), files: [] };
    const user = c.get("user");
    const id = await postReply(pano, conv, { text: body.text, private: body.private, files: body.files, userId: user.id });
    const m = getMessage(db, id)!;
    return c.json(presentMessage(m, attachmentsFor(db, [id]).get(id) ?? [], pano.config.publicUrl), 202);
  });

  // Integrations (a survey page, a chatbot) report the customer's satisfaction here. When Pano sent
  // the conversation a survey, the rating answers it (a second one updates it, docs/csat.md).
  app.post("/:id/csat", async (c) => {
    const conv = visibleConversation(pano, c, idParam(c));
    const body = await readJson(c, csatSchema);
    const survey = surveyOfConversation(db, conv.id);
    const id = await pano.writer.submit((tx) =>
      survey?.sent_at ? (answerSurvey(tx, survey.id, body.rating, body.comment ?? null, "api"), responseOfSurvey(tx.db, survey.id)!) : recordCsat(tx, conv.id, body.rating, body.comment ?? null));
    return c.json({ id: String(id), conversation_id: String(conv.id), rating: body.rating, comment: body.comment ?? null, survey_id: survey?.sent_at ? String(survey.id) : null }, 201);
  });

  // The conversation's survey: whether one went out, and the customer's answer.
  app.get("/:id/csat", (c) => {
    const conv = visibleConversation(pano, c, idParam(c));
    return c.json(presentSurvey(surveyOfConversation(db, conv.id)));
  });

  return app;
}
