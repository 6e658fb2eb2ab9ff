// The public visitor side of a website chat: widget.js at the site root, the chat frame, and the
// small JSON API the frame calls. Everything here is reachable by anyone on the Internet, so every
// request is checked for origin, session signature and rate before it costs a query.
import { Hono, type Context } from "hono";
import { streamSSE } from "hono/streaming";
import { SseQueue } from "../../net/sse-queue.ts";
import { z } from "zod";
import type { Channel } from "../channel.ts";
import type { InboundAttachment } from "../../domain/message.ts";
import type { WebChatConfig } from "./config.ts";
import type { VisitorHost } from "./host.ts";
import { serveStatic } from "./files.ts";
import { frameHtml, framePolicy } from "./frame-page.ts";
import { RateLimiter, LIMITS, type Limit } from "./limits.ts";
import { readSession, issueSession, anonymousSubject, UNUSED_SESSION_MS, type VisitorSession } from "./session.ts";
import { claimedUserSchema, hashIsValid, customerSubject } from "./identity.ts";
import { TEXT_LIMIT, FILE_LIMIT, sniff, fileName } from "./content.ts";
import { listen, notify } from "./live.ts";
import { presentTranscript } from "./transcript.ts";
import { parseVisitorPayload } from "./inbound.ts";
import { rememberVisitorEmail } from "./offline.ts";
import { shopHours } from "./opening-hours.ts";
import { MAX_COMMENT } from "../../domain/csat.ts";


class Refusal extends Error {
  constructor(readonly status: 400 | 401 | 403 | 404 | 413 | 415 | 422 | 429, readonly code: string, message: string, readonly retryAfter?: number) {
    super(message);
  }
}

const sessionBody = z.object({
  token: z.string().max(100),
  origin: z.string().max(300),
  session: z.string().max(600).optional().nullable(),
  user: claimedUserSchema.optional().nullable(),
});

const visitorFields = z.object({
  name: z.string().trim().max(200).optional(),
  email: z.string().trim().max(254).optional(),
  phone: z.string().trim().max(40).optional(),
}).partial();

const messageBody = z.object({
  client_id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  text: z.string().max(TEXT_LIMIT * 4).default(""),
  visitor: visitorFields.optional(),
  page: z.string().max(2000).optional(),
  referrer: z.string().max(2000).optional(),
});

const surveyBody = z.object({
  survey_id: z.number().int().positive(),
  rating: z.number().int().min(1).max(5),
  comment: z.string().max(MAX_COMMENT).optional().nullable(),
});

export function visitorRoutes(host: VisitorHost): Hono {
  const app = new Hono();
  const limiter = new RateLimiter(() => host.runtime.now().getTime());
  const ownOrigin = new URL(host.publicUrl).origin;

  const limit = (key: string, l: Limit) => {
    const wait = limiter.hit(key, l);
    if (wait !== null) throw new Refusal(429, "rate_limited", `Too many requests; try again in ${wait} s`, wait);
  };
  /** A browser names the page a request comes from: only Pano's own frame and the shop's sites may call. */
  const checkOrigin = (c: Context, ch: Channel<WebChatConfig>) => {
    const origin = c.req.header("origin");
    if (origin && origin !== ownOrigin && !ch.config.allowed_origins.includes(origin)) throw new Refusal(403, "origin_not_allowed", "This website may not use this chat");
  };
  /** The shop's sites, and Pano's own origin: the channel's settings page previews the chat (and an admin may try it). */
  const allowedSite = (ch: Channel<WebChatConfig>, origin: string) => origin === ownOrigin || ch.config.allowed_origins.includes(origin);
  const channelOf = (id: number): Channel<WebChatConfig> | undefined => {
    const ch = host.runtime.current(id);
    return ch && ch.type === "web_chat" && ch.status !== "paused" ? (ch as Channel<WebChatConfig>) : undefined;
  };
  /** The session from the request, verified against its channel's key; unused old sessions expire. */
  const sessionOf = (c: Context): { ch: Channel<WebChatConfig>; s: VisitorSession } => {
    const token = c.req.header("x-pano-session") ?? c.req.query("session") ?? "";
    let channelId = 0;
    try {
      channelId = Number(JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8")).c) || 0;
    } catch {
      // not even shaped like a session: refused below
    }
    const ch = channelId ? channelOf(channelId) : undefined;
    const s = ch ? readSession(ch.config.session_key, ch.id, token) : null;
    if (!ch || !s) throw new Refusal(401, "invalid_session", "This chat session is not valid");
    checkOrigin(c, ch);
    if (host.runtime.now().getTime() - s.issuedAt > UNUSED_SESSION_MS && !host.hasIdentity(ch.id, s.subject)) {
      throw new Refusal(401, "session_expired", "This chat session expired; start a new one");
    }
    return { ch, s };
  };

  app.onError((err, c) => {
    if (err instanceof Refusal) {
      if (err.retryAfter) c.header("retry-after", String(err.retryAfter));
      return c.json({ error: { code: err.code, message: err.message } }, err.status);
    }
    host.runtime.log("error", "web chat request failed", { error: String(err) });
    return c.json({ error: { code: "internal", message: "Something went wrong" } }, 500 as 400);
  });
  app.use("/chat/*", async (c, next) => {
    limit(`a:${host.clientAddress(c)}`, LIMITS.address);
    await next();
  });

  app.get("/widget.js", (c) => serveStatic(c.req.raw, "widget.js", { "cross-origin-resource-policy": "cross-origin", "access-control-allow-origin": "*" }));
  app.get("/chat/frame.js", (c) => serveStatic(c.req.raw, "frame.js", {}));
  app.get("/chat/frame.css", (c) => serveStatic(c.req.raw, "frame.css", {}));

  app.get("/chat/frame", (c) => {
    const token = c.req.query("token") ?? "";
    const origin = c.req.query("origin") ?? "";
    const ch = host.byWidgetToken(token);
    if (!ch) throw new Refusal(404, "unknown_widget", "No chat for this widget token");
    // The browser enforces frame-ancestors; the Referer check answers a clear 403 earlier.
    const referer = c.req.header("referer");
    let refererOrigin: string | null = null;
    try {
      refererOrigin = referer ? new URL(referer).origin : null;
    } catch {
      refererOrigin = "invalid";
    }
    if (!allowedSite(ch, origin) || (refererOrigin && refererOrigin !== origin)) {
      return c.text("This website may not use this chat.\nTrang web này không được dùng cửa sổ chat này.", 403);
    }
    const lang = /^en\b/i.test(c.req.query("lang") ?? "") ? "en" : "vi";
    return c.html(frameHtml(ch.config, lang, token, origin), 200, { "content-security-policy": framePolicy(ch.config), "cache-control": "no-store" });
  });

  app.post("/chat/api/session", async (c) => {
    const body = sessionBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) throw new Refusal(400, "bad_request", "Malformed session request");
    const ch = host.byWidgetToken(body.data.token);
    if (!ch) throw new Refusal(404, "unknown_widget", "No chat for this widget token");
    checkOrigin(c, ch);
    if (!allowedSite(ch, body.data.origin)) throw new Refusal(403, "origin_not_allowed", "This website may not use this chat");
    const now = host.runtime.now().getTime();
    const user = body.data.user;
    const verified = !!user && hashIsValid(user, ch.config.identity_secret);
    const held = readSession(ch.config.session_key, ch.id, body.data.session);
    const heldUsable = held && (now - held.issuedAt <= UNUSED_SESSION_MS || host.hasIdentity(ch.id, held.subject));
    // A logged-in customer is their own identity; anyone else keeps the anonymous session they hold.
    const subject = verified ? customerSubject(user!.id) : heldUsable && !held!.verified ? held!.subject : null;
    // Outside the followed team's hours the frame says when the shop answers and asks for an email or phone.
    const hours = shopHours(ch.config.hours_team_id ? host.businessHours(ch.config.hours_team_id) : null, now);
    if (subject && held && heldUsable && held.subject === subject) return c.json({ session: body.data.session, verified, hours });
    limit(`s:${host.clientAddress(c)}`, LIMITS.newSession);
    const claims = verified ? { name: user!.name, email: user!.email, phone: user!.phone } : undefined;
    return c.json({ session: issueSession(ch.config.session_key, ch.id, subject ?? anonymousSubject(), verified, now, claims), verified, hours });
  });

  app.get("/chat/api/messages", (c) => {
    const { ch, s } = sessionOf(c);
    const after = Math.max(0, Number(c.req.query("after")) || 0);
    const items = host.transcript(ch.id, s.subject, after, 200);
    return c.json({ items: presentTranscript(items, host.publicUrl) });
  });

  app.post("/chat/api/messages", async (c) => {
    const { ch, s } = sessionOf(c);
    limit(`m:${ch.id}:${s.subject}`, LIMITS.sessionMessages);
    const isNew = !host.hasIdentity(ch.id, s.subject);
    // Checked before reading the body, counted only once the message is accepted.
    if (isNew && !limiter.wouldPass(`n:${host.clientAddress(c)}`, LIMITS.newVisitor)) limit(`n:${host.clientAddress(c)}`, LIMITS.newVisitor);
    let fields: unknown;
    let file: File | null = null;
    if ((c.req.header("content-type") ?? "").startsWith("multipart/form-data")) {
      const form = await c.req.formData().catch(() => null);
      if (!form) throw new Refusal(400, "bad_request", "Malformed upload");
      const f = form.get("file");
      file = f instanceof File ? f : null;
      fields = { client_id: form.get("client_id"), text: form.get("text") ?? "", page: form.get("page") ?? undefined };
    } else {
      fields = await c.req.json().catch(() => null);
    }
    const body = messageBody.safeParse(fields);
    if (!body.success) throw new Refusal(400, "bad_request", "Malformed message");
    const text = body.data.text.replace(/\r\n?/g, "\n").trim();
    if (Array.from(text).length > TEXT_LIMIT) throw new Refusal(413, "text_too_long", `The message is over ${TEXT_LIMIT} characters`);
    const attachments: InboundAttachment[] = [];
    if (file) {
      if (file.size > FILE_LIMIT) throw new Refusal(413, "file_too_large", `The file is over ${FILE_LIMIT / 1024 / 1024} MB`);
      const data = new Uint8Array(await file.arrayBuffer());
      const real = sniff(data);
      if (!real) throw new Refusal(415, "unsupported_file", "Only images (PNG, JPEG, GIF, WebP) and PDFs are accepted");
      attachments.push({ kind: real.kind, name: fileName(file.name, real.ext), contentType: real.type, size: data.byteLength, data });
    }
    if (!text && !attachments.length) throw new Refusal(422, "empty_message", "The message is empty");
    const missing = isNew && !s.verified ? requiredMissing(ch.config, body.data.visitor ?? {}) : null;
    if (missing) throw new Refusal(422, "pre_chat_required", `${missing} is required`);
    if (isNew) limit(`n:${host.clientAddress(c)}`, LIMITS.newVisitor);
    const d = body.data;
    await host.runtime.ingest(parseVisitorPayload({
      subject: s.subject, verified: s.verified, claims: s.claims, clientId: d.client_id, text, visitor: d.visitor,
      page: d.page, referrer: d.referrer, browser: c.req.header("user-agent"), attachments, at: host.runtime.now(),
    }, ch));
    // Kept for a reply by email if they leave before it comes (offline.ts).
    if (!s.verified) await rememberVisitorEmail(host.runtime, ch.id, s.subject, d.visitor?.email);
    // The visitor's other tabs show it too.
    notify(ch.id, s.subject, "changed");
    return c.json({ ok: true }, 201);
  });

  // The visitor is typing: the agents who see their conversation are told (ChannelHttp.customerTyping); nothing
  // is stored. Over the session's limit it is dropped quietly: the widget has nothing to say about it.
  app.post("/chat/api/typing", (c) => {
    const { ch, s } = sessionOf(c);
    if (limiter.hit(`t:${ch.id}:${s.subject}`, LIMITS.sessionTyping) === null && host.hasIdentity(ch.id, s.subject)) {
      host.customerTyping(ch.id, s.subject);
    }
    return c.body(null, 204);
  });

  // The visitor's rating of their own survey (the buttons under it), and later a comment: a second
  // rating updates the first. Out of 1-5 is refused; anyone else's survey is not found.
  app.post("/chat/api/csat", async (c) => {
    const { ch, s } = sessionOf(c);
    limit(`m:${ch.id}:${s.subject}`, LIMITS.sessionMessages);
    const body = surveyBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) {
      const rating = body.error.issues.some((i) => i.path[0] === "rating");
      throw rating ? new Refusal(422, "rating_out_of_range", "rating: must be a whole number from 1 to 5") : new Refusal(400, "bad_request", "Malformed rating");
    }
    const d = body.data;
    const done = await host.answerSurvey(ch.id, s.subject, d.survey_id, d.rating, d.comment?.trim() || null);
    if (done === "not_found") throw new Refusal(404, "survey_not_found", "No such survey in this chat");
    notify(ch.id, s.subject, "changed");
    return c.json({ ok: true });
  });

  app.post("/chat/api/receipt", async (c) => {
    const { ch, s } = sessionOf(c);
    const status = (await c.req.json().catch(() => ({})))?.status === "read" ? "read" : "delivered";
    if (!host.hasIdentity(ch.id, s.subject)) return c.json({ ok: true });
    const now = host.runtime.now();
    await host.runtime.ingest([{ kind: "status", channelId: ch.id, contactExternalId: s.subject, status, watermark: now, occurredAt: now }]);
    return c.json({ ok: true });
  });

  app.get("/chat/api/live", (c) => {
    const { ch, s } = sessionOf(c);
    c.header("X-Accel-Buffering", "no");
    c.header("cache-control", "no-store");
    return streamSSE(c, async (stream) => {
      const queue = new SseQueue();
      const stop = listen(ch.id, s.subject, (event, data) => queue.push({ event, data }));
      if (!stop) {
        await stream.writeSSE({ event: "full", data: "{}" });
        return;
      }
      stream.onAbort(() => queue.close());
      try {
        // The widget fetches what it missed on every (re)connect, when it reads this.
        await stream.writeSSE({ event: "hello", data: "{}", retry: 2000 });
        await queue.pump(stream);
      } finally {
        stop();
      }
    });
  });

  return app;
}

function requiredMissing(config: WebChatConfig, visitor: { name?: string; email?: string; phone?: string }): string | null {
  for (const f of ["name", "email", "phone"] as const) if (config.pre_chat?.[f] === "required" && !visitor[f]) return f;
  return null;
}
