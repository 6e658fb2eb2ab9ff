// Graph API errors -> what the outbox does: retry with backoff, fail with a reason the agent can
// read (vi + en, from the catalogue), or mark the channel as needing reconnection.
import type { SendResult } from "../../domain/message.ts";
import { facebookText, type FacebookTextKey } from "./texts.ts";

export interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  fbtrace_id?: string;
}

type Failure = Exclude<SendResult, { ok: true }>;

/** Facebook's own words go to the English reason (for support tickets), not to Vietnamese agents. */
function because(key: FacebookTextKey, err: GraphError | undefined, vars?: Record<string, string | number>) {
  const t = facebookText(key, vars);
  return { reason: err?.message ? `${t.en} (Facebook: ${err.message})` : t.en, reasonVi: t.vi };
}

export function mapGraphError(status: number, err: GraphError | undefined, retryAfterMs?: number): Failure {
  const code = Number(err?.code);
  if (code === 190) return { ok: false, kind: "reconnect", code: "token_invalid", ...because("facebook.send.token_invalid", err) };
  if (code === 10 && Number(err?.error_subcode) === 2018278) return { ok: false, kind: "failed", code: "outside_window", ...because("facebook.send.outside_window", err) };
  if (code === 551) return { ok: false, kind: "failed", code: "person_unavailable", ...because("facebook.send.person_unavailable", err) };
  if (code === 4 || code === 32 || code === 613 || status === 429) return { ok: false, kind: "retry", ...because("facebook.send.rate_limited", err), afterMs: retryAfterMs };
  // Code 1 and 2 are Meta's "unknown" and "temporary" errors: worth another try.
  if (status >= 500 || code === 1 || code === 2) return { ok: false, kind: "retry", ...because("facebook.send.unavailable", err, { status }), afterMs: retryAfterMs };
  if (code === 100) return { ok: false, kind: "failed", code: "invalid_parameter", ...because("facebook.send.invalid_parameter", err) };
  return Number.isFinite(code)
    ? { ok: false, kind: "failed", code: `graph_${code}`, ...because("facebook.send.refused_code", err, { status, code }) }
    : { ok: false, kind: "failed", code: `graph_${status}`, ...because("facebook.send.refused", err, { status }) };
}

export function networkFailure(err: unknown): Failure {
  const t = facebookText("facebook.send.unreachable");
  return { ok: false, kind: "retry", reason: `${t.en}: ${String((err as Error)?.message ?? err)}`, reasonVi: t.vi };
}
