// The thread behind PostgresDatabase (connection.ts): one PostgreSQL connection, one statement at
// a time, each answer posted on the request port and then signalled through shared memory, so the
// main thread, blocked in Atomics.wait, wakes and reads it with receiveMessageOnPort.
import postgres from "postgres";
import type { PostgresOptions } from "./options.ts";

export type Mode = "rows" | "values" | "run" | "script";
export interface Request {
  sql: string;
  params?: unknown[];
  mode: Mode;
  /** Numbers the call; its answer carries it back (connection.ts matches them). */
  seq?: number;
}
export interface Failure {
  message: string;
  code?: string;
  sqlState?: string;
  detail?: string;
}
export type Answer = { rows?: unknown[]; count?: number; error?: Failure; seq?: number };

interface Open {
  options: PostgresOptions;
  port: MessagePort;
  signal: SharedArrayBuffer;
}

// int8 (counts, ids, epoch milliseconds) and numeric (sums, averages) as numbers, and booleans as
// 1 and 0: what the store reads from SQLite. Epoch milliseconds are far below 2^53.
const types = {
  bigint: { to: 20, from: [20, 1700], parse: (x: string) => Number(x), serialize: (x: unknown) => String(x) },
  boolean: { to: 16, from: [16], parse: (x: string) => (x === "t" ? 1 : 0), serialize: (x: unknown) => (x ? "t" : "f") },
};

self.onmessage = (ev: MessageEvent<Open>) => {
  const { options, port, signal } = ev.data;
  const flag = new Int32Array(signal);
  const sql = postgres({
    ...options,
    max: 1,
    idle_timeout: 0,
    // postgres.js ends a connection after 30-60 minutes by default: between a BEGIN and its COMMIT here.
    max_lifetime: null,
    connect_timeout: 10,
    prepare: true,
    fetch_types: false,
    onnotice: () => {},
    connection: { application_name: "pano" },
    types,
  });
  const answer = (a: Answer) => {
    port.postMessage(a);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  port.onmessage = async (m: MessageEvent<Request | { close: true; seq?: number }>) => {
    const seq = m.data.seq;
    if ("close" in m.data) {
      await sql.end({ timeout: 2 }).catch(() => {});
      answer({ seq });
      return;
    }
    const { sql: text, params, mode } = m.data;
    try {
      if (mode === "script") {
        await sql.unsafe(text).simple();
        answer({ seq });
        return;
      }
      const args = (params ?? []).map((p) => (p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p));
      const q = sql.unsafe(text, args as postgres.ParameterOrJSON<never>[]);
      const result = mode === "values" ? await q.values() : await q;
      answer({ rows: mode === "run" ? result.slice(0, 1) : [...result], count: result.count ?? 0, seq });
    } catch (err) {
      const e = err as Error & { code?: string; detail?: string; errno?: string };
      answer({ error: { message: e.message, sqlState: /^[0-9A-Z]{5}$/.test(String(e.code)) ? e.code : undefined, code: e.code, detail: e.detail }, seq });
    }
  };
  // The first answer says the connection works (or why not).
  sql.unsafe("SELECT 1").then(
    () => answer({}),
    (err: Error & { code?: string }) => answer({ error: { message: err.message, code: err.code } }),
  );
};
