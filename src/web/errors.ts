// Errors leave Pano in one shape: {"error":{"code","message"}}; never a stack trace.
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { PanoError, type ErrorCode } from "../domain/errors.ts";
import { StoreUnavailable, isStorageFailure } from "../store/writer.ts";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400, invalid_json: 400, validation_failed: 422, unauthorized: 401, forbidden: 403, csrf_failed: 403,
  not_found: 404, conflict: 409, payload_too_large: 413, rate_limited: 429, unavailable: 503, channel_type_mismatch: 422,
};

export function errorBody(code: string, message: string, field?: string) {
  return { error: { code, message, ...(field ? { field } : {}) } };
}

/** What answering an error needs: the framework's context, or a route answered without it. */
export interface JsonAnswer {
  json(body: unknown, status: ContentfulStatusCode, headers?: Record<string, string>): Response;
}

export function toErrorResponse(c: JsonAnswer, err: unknown, log: (msg: string, f: Record<string, unknown>) => void): Response {
  if (err instanceof PanoError) return c.json(errorBody(err.code, err.message, err.field), STATUS[err.code] as never);
  // A read can meet a locked or broken database too, not only the writer.
  if (err instanceof StoreUnavailable || isStorageFailure(err)) {
    const why = String((err as Error).message);
    log("storage unavailable", { error: why });
    return c.json(errorBody("unavailable", `Storage is unavailable (${storageCause(why)}); nothing was stored. Retry later.`), 503, { "retry-after": "5" });
  }
  // A race past the handlers' own checks (two creates of the same email at once): still a 409.
  if (/^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test(String((err as { code?: string })?.code))) {
    return c.json(errorBody("conflict", "This already exists"), 409);
  }
  const status = (err as { status?: number })?.status;
  if (status === 413) return c.json(errorBody("payload_too_large", "The request body is too large"), 413);
  log("unhandled error", { error: String((err as Error)?.stack ?? err) });
  return c.json(errorBody("internal_error", "Something went wrong on our side; it has been logged."), 500);
}

/** Names the cause an operator can act on: free space, stop the other process, fix permissions. */
function storageCause(message: string): string {
  if (/locked|busy/i.test(message)) return "database locked by another process";
  if (/full/i.test(message)) return "disk full";
  if (/read-?only/i.test(message)) return "database or volume is read-only";
  return "disk full, read-only or I/O error";
}

export const notFound = (what: string) => new PanoError("not_found", `${what} not found`);
export const invalid = (field: string, message: string) => new PanoError("validation_failed", `${field}: ${message}`, field);
