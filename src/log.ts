// One JSON object per line. Secrets never reach the log: known secret keys are masked.
export type LogLevel = "debug" | "info" | "warn" | "error";

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const SECRET = /token|password|secret|authorization|cookie|api_key/i;

export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

function redact(v: unknown, depth = 0): unknown {
  if (!v || typeof v !== "object" || depth > 4) return v;
  if (Array.isArray(v)) return v.map((x) => redact(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = SECRET.test(k) ? "[redacted]" : redact(x, depth + 1);
  return out;
}

/**
 * A value from outside (a provider's id, a parse error quoting the payload) as it may be logged:
 * cut to `max` characters, so one request cannot write megabytes into the log.
 */
export function clipped(value: unknown, max = 64): string {
  const s = typeof value === "string" ? value : String(value);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

export function createLogger(min: LogLevel, write: (line: string) => void = (l) => process.stdout.write(l + "\n")): Logger {
  return (level, msg, fields) => {
    if (RANK[level] < RANK[min]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...(fields ? (redact(fields) as object) : {}) }));
  };
}
