// Reading API input at the edge: JSON bodies (with size and syntax errors mapped), ids, paging.
import type { Context } from "hono";
import { z } from "zod";
import { PanoError } from "../../../domain/errors.ts";

export async function readJson<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  let raw: string;
  try {
    raw = await c.req.text();
  } catch {
    throw new PanoError("bad_request", "Could not read the request body");
  }
  let data: unknown;
  try {
    data = raw.length ? JSON.parse(raw) : {};
  } catch {
    throw new PanoError("invalid_json", "The body is not valid JSON");
  }
  const r = schema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue.path.join(".") || "body";
    throw new PanoError("validation_failed", `${field}: ${issue.message}`, field);
  }
  return r.data;
}

export function idParam(c: Context, name = "id"): number {
  const v = c.req.param(name) ?? "";
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) throw new PanoError("not_found", "Not found");
  return n;
}

export function pageLimit(c: Context): number {
  const v = c.req.query("limit");
  if (v === undefined) return 25;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new PanoError("validation_failed", "limit: must be a positive integer", "limit");
  return Math.min(n, 100);
}

export function optionalId(v: string | undefined, field: string): number | undefined {
  if (v === undefined || v === "") return undefined;
  if (!/^\d+$/.test(v)) throw new PanoError("validation_failed", `${field}: must be an id`, field);
  return Number(v);
}

/** `?cursor=` of the lists keyed by id: the last id of the previous page, opaque to clients. */
export function cursorAfterId(c: Context): number | null {
  const v = c.req.query("cursor");
  if (v === undefined || v === "") return null;
  const s = Buffer.from(v, "base64url").toString();
  if (!/^\d+$/.test(s)) throw new PanoError("validation_failed", "cursor: not a cursor from a previous page", "cursor");
  return Number(s);
}

export const idCursor = (id: number) => Buffer.from(String(id)).toString("base64url");

/** Pages a short list held in memory (channels, users, teams) like every other list. */
export function pageById<T>(c: Context, rows: T[], idOf: (row: T) => number): { data: T[]; next_cursor: string | null } {
  const limit = pageLimit(c);
  const after = cursorAfterId(c) ?? 0;
  const rest = rows.filter((r) => idOf(r) > after).sort((a, b) => idOf(a) - idOf(b));
  const data = rest.slice(0, limit);
  return { data, next_cursor: rest.length > limit ? idCursor(idOf(data[data.length - 1])) : null };
}

/** Pages a short list whose order means something (shortcuts A-Z, rule priority): by position. */
export function pageInOrder<T>(c: Context, rows: T[]): { data: T[]; next_cursor: string | null } {
  const limit = pageLimit(c);
  const from = cursorAfterId(c) ?? 0;
  const data = rows.slice(from, from + limit);
  return { data, next_cursor: from + limit < rows.length ? idCursor(from + limit) : null };
}

type WithoutDefault<T> = T extends z.ZodDefault<infer Inner> ? Inner : T;
type PatchShape<S extends z.ZodRawShape> = { [K in keyof S]: z.ZodOptional<WithoutDefault<S[K]>> };

/**
 * A PATCH body's schema from the create schema: every field optional and no default applied.
 * zod 4's .partial() still fills a field's default in when the field is absent, so a PATCH that
 * named one field would quietly reset the others (a rule switched on lost its conditions).
 */
export function patchOf<S extends z.ZodRawShape, C extends z.core.$ZodObjectConfig>(schema: z.ZodObject<S, C>): z.ZodObject<PatchShape<S>, C> {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([k, v]) => [k, (v instanceof z.ZodDefault ? (v.removeDefault() as z.ZodType) : (v as z.ZodType)).optional()]),
  );
  return schema.extend(shape) as unknown as z.ZodObject<PatchShape<S>, C>;
}
