// GET /api/v1/audit: who changed what, newest first, for admins. Filters narrow it down; the
// cursor is the last row's id, so paging stays stable while new rows arrive.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import { requireRole, type Env } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { optionalId, pageLimit } from "./input.ts";
import { iso, sid } from "./present.ts";
import { listAuditEntries, type AuditFilters } from "../../../store/audit.ts";

// Rows are written by many areas; whatever they put in `data`, a secret is never shown.
const SECRET_KEY = /token|password|secret|authorization|cookie|api_key/i;
function scrub(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(scrub);
  if (!v || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, SECRET_KEY.test(k) ? "[redacted]" : scrub(x)]));
}

function parseData(data: string | null): unknown {
  if (data === null) return null;
  try {
    return scrub(JSON.parse(data));
  } catch {
    return data;
  }
}

function time(v: string | undefined, field: string): number | undefined {
  if (!v) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new PanoError("validation_failed", `${field}: must be an ISO 8601 time`, field);
  return t;
}

export type { AuditFilters };

export function auditEntries(pano: Pano, f: AuditFilters, limit: number) {
  const rows = listAuditEntries(pano.store.sqlite, f, limit);
  const page = rows.slice(0, limit);
  return {
    data: page.map((r) => ({
      id: sid(r.id),
      actor: { type: r.actor_type, id: sid(r.actor_id), ...(r.actor_email ? { email: r.actor_email } : {}) },
      action: r.action,
      subject: r.subject_type ? { type: r.subject_type, id: sid(r.subject_id) } : null,
      conversation_id: sid(r.conversation_id),
      data: parseData(r.data),
      created_at: iso(r.created_at),
    })),
    next_cursor: rows.length > limit ? Buffer.from(String(page.at(-1)!.id)).toString("base64url") : null,
  };
}

export function auditRoutes(pano: Pano) {
  const app = new Hono<Env>();

  app.get("/", requireRole("admin"), (c) => {
    const q = (k: string) => c.req.query(k) || undefined;
    const cursor = q("cursor");
    let before: number | undefined;
    if (cursor !== undefined) {
      before = Number(Buffer.from(cursor, "base64url").toString());
      if (!Number.isSafeInteger(before)) throw new PanoError("validation_failed", "cursor: not a cursor from this list", "cursor");
    }
    const actorType = q("actor_type");
    if (actorType && !["user", "system", "api"].includes(actorType)) throw new PanoError("validation_failed", "actor_type: must be user, system or api", "actor_type");
    return c.json(auditEntries(pano, {
      before, actorType, action: q("action"), subjectType: q("subject_type"),
      actorId: optionalId(q("actor_id"), "actor_id"), subjectId: optionalId(q("subject_id"), "subject_id"),
      conversationId: optionalId(q("conversation_id"), "conversation_id"),
      from: time(q("from"), "from"), to: time(q("to"), "to"),
    }, pageLimit(c)));
  });

  return app;
}
