// One error type with a code, mapped to an HTTP status once (src/web/errors.ts).
export type ErrorCode =
  | "bad_request" | "invalid_json" | "validation_failed" | "unauthorized" | "forbidden" | "not_found"
  | "conflict" | "payload_too_large" | "rate_limited" | "unavailable" | "channel_type_mismatch" | "csrf_failed";

export class PanoError extends Error {
  constructor(public code: ErrorCode, message: string, public field?: string) {
    super(message);
  }
}
