// Reading API input at the edge: JSON bodies (with size and syntax errors mapped), ids, paging.
import type { Context } from "hono";
import type { z } from "zod";
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
