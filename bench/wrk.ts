// The external load generator for the HTTP benchmarks: wrk (Debian's package), so the client is
// not a JavaScript event loop competing with the server it measures for the same cores.
//
// Every request is made before the clock starts (bodies and per-request headers such as
// X-Hub-Signature-256) and written to a file that a Lua script reads at init: thread k of T takes
// requests k, k+T, k+2T, ... and formats each with wrk.format once, so wrk only hands out strings.
//
// wrk runs for a duration (-d); these benches need a fixed count, N requests, each sent once.
// The script stops it at N: before each request wrk asks delay(), which reserves one of the
// thread's requests and answers 0 ms, or, once the thread's share is all reserved, an hour (that
// connection sends nothing more); response() counts answers (and the non-2xx among them) and,
// at the thread's last one, prints a line and stops the thread (wrk.thread:stop()). wrk's main
// thread sleeps out -d, so once every thread has said it is done this driver interrupts it
// (SIGINT, as Ctrl-C), and wrk prints its summary; -d is only the upper bound of a run that
// lost requests (socket errors), which then shows as fewer answers than N.
//
// With a target rate (ratePerSecond) the load is paced instead of as fast as the server answers:
// each thread owns rate/T of it, and delay() answers the time until its next request's slot
// (start + k * T/rate, read from CLOCK_MONOTONIC through LuaJIT's ffi), so the thread's
// connections together offer the rate whatever the latency, as senders at a steady peak do. A
// server that falls behind gets its missed slots at once (0 ms) as long as connections are free;
// the achieved rate says whether it kept up.
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../tests/support/pano.ts";
import { cpuSeconds, cpuWhenIdle, type LoadResult } from "./load.ts";

export const WRK = "/usr/bin/wrk";

export interface HttpRequest {
  method?: string;
  /** Path and query, e.g. /webhooks/facebook. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface WrkOptions {
  threads?: number;
  connections?: number;
  /** The server process: its CPU per acknowledged request is measured over the run. */
  pid?: number;
  /** Upper bound of the run, seconds (a run that loses requests ends here). */
  maxSeconds?: number;
  /** Offer this many requests per second in all (paced by delay()) instead of as many as answered. */
  ratePerSecond?: number;
}

export interface WrkResult extends LoadResult {
  threads: number;
  connections: number;
  /** wrk's own figures, from its printed summary. */
  wrkRequestsPerSecond: number;
  latencyMs: Record<"50" | "75" | "90" | "99", number>;
  socketErrors: { connect: number; read: number; write: number; timeout: number };
  non2xx: number;
}

/** Installs wrk from Debian when it is missing (as scripts/test.sh installs Dovecot). */
export function ensureWrk(): void {
  if (existsSync(WRK)) return;
  console.log("bench: installing wrk (apt-get install wrk)");
  const sudo = process.getuid?.() === 0 ? [] : ["sudo"];
  const sh = `${sudo.join(" ")} apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${sudo.join(" ")} apt-get install -y -qq --no-install-recommends wrk`;
  const r = Bun.spawnSync(["bash", "-c", sh], { stdout: "inherit", stderr: "inherit" });
  if (r.exitCode !== 0 || !existsSync(WRK)) throw new Error("wrk is not installed and apt-get could not install it");
}

const SCRIPT = String.raw`
-- Written by bench/wrk.ts: N pre-made requests, each sent once, then the thread stops.
local threads, made = {}, 0
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } bench_timespec; int clock_gettime(int clk, bench_timespec *tp); ]]
local timespec = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, timespec) -- CLOCK_MONOTONIC
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

function setup(thread)
  thread:set("id", made)
  made = made + 1
  table.insert(threads, thread)
end

function init(args)
  local file, count = args[1], tonumber(args[2])
  -- ms between this thread's requests when paced (0: as fast as answered)
  interval = tonumber(args[3] or "0")
  reqs, reserved, sent, responses, non2xx = {}, 0, 0, 0, 0
  local f = assert(io.open(file, "rb"))
  local i = 0
  while true do
    local method = f:read("*l")
    if not method then break end
    local path = f:read("*l")
    local headers = {}
    for _ = 1, tonumber(f:read("*l")) do
      local name = f:read("*l")
      headers[name] = f:read("*l")
    end
    local len = tonumber(f:read("*l"))
    local body = len > 0 and f:read(len) or nil
    f:read("*l")
    if i % count == id then reqs[#reqs + 1] = wrk.format(method, path, headers, body) end
    i = i + 1
  end
  f:close()
end

function delay()
  if reserved >= #reqs then return 3600000 end
  reserved = reserved + 1
  if interval == 0 then return 0 end
  local now = now_ms()
  started = started or now
  local wait = started + (reserved - 1) * interval - now
  return wait > 0 and math.ceil(wait) or 0
end

function request()
  -- wrk calls request() once on thread 0 before the run, to see whether it pipelines: that
  -- request is never sent, so it takes none of the thread's share (no delay() came before it).
  if reserved == 0 then return reqs[1] end
  sent = sent + 1
  return reqs[math.min(sent, #reqs)]
end

function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
  if responses == #reqs then
    io.write("bench-wrk-thread-done\n")
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local answered, bad = 0, 0
  for _, t in ipairs(threads) do
    answered = answered + t:get("responses")
    bad = bad + t:get("non2xx")
  end
  io.write(string.format("bench-wrk-result %d %d %d %d %d\n", answered, bad, summary.duration, latency:percentile(50), latency:percentile(99)))
end
`;

/** The requests in the file format the script reads: method, path, headers, body length, body. */
function requestFile(requests: HttpRequest[]): string {
  const parts: string[] = [];
  for (const r of requests) {
    const names = Object.keys(r.headers);
    for (const v of [r.path, ...names, ...Object.values(r.headers)]) if (v.includes("\n")) throw new Error(`a path or header holds a newline: ${v}`);
    parts.push(r.method ?? "POST", r.path, String(names.length));
    for (const name of names) parts.push(name, r.headers[name]);
    parts.push(String(Buffer.byteLength(r.body)), r.body);
  }
  return parts.join("\n") + "\n";
}

/** wrk prints durations as 812.00us, 1.23ms, 2.01s, 1.5m. */
function ms(text: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return NaN;
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2] as "us" | "ms" | "s" | "m"];
}

/** The figures of wrk's printed summary (with --latency). */
export function parseWrk(out: string) {
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
  const latencyMs = { "50": NaN, "75": NaN, "90": NaN, "99": NaN };
  for (const p of ["50", "75", "90", "99"] as const) {
    const m = new RegExp(`^\\s+${p}%\\s+(\\S+)\\s*$`, "m").exec(out);
    if (m) latencyMs[p] = ms(m[1]);
  }
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requests: num(/(\d+) requests in/),
    requestsPerSecond: num(/Requests\/sec:\s+([\d.]+)/),
    latencyMs,
    socketErrors: { connect: Number(sock?.[1] ?? 0), read: Number(sock?.[2] ?? 0), write: Number(sock?.[3] ?? 0), timeout: Number(sock?.[4] ?? 0) },
    non2xx3xx: num(/Non-2xx or 3xx responses: (\d+)/),
  };
}

/**
 * Sends every request once to `baseUrl` with wrk (2 threads, 64 connections unless told),
 * answers as LoadResult: ok = 2xx answers, ack latency p50/p99 (wrk's own histogram), the
 * server's CPU per ok request (`pid`), and wrk's own CPU as clientCpuPct.
 */
export async function driveWrk(baseUrl: string, requests: HttpRequest[], o: WrkOptions = {}): Promise<WrkResult> {
  ensureWrk();
  const threads = o.threads ?? 2;
  const connections = o.connections ?? 64;
  const n = requests.length;
  if (n < threads) throw new Error(`wrk needs at least one request per thread (${n} < ${threads})`);
  const dir = tempDir("pano-wrk-");
  const script = join(dir, "requests.lua");
  const data = join(dir, "requests.txt");
  writeFileSync(script, SCRIPT);
  writeFileSync(data, requestFile(requests));
  try {
    return await runWrk(baseUrl, requests, o, threads, connections, script, data);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runWrk(baseUrl: string, requests: HttpRequest[], o: WrkOptions, threads: number, connections: number, script: string, data: string): Promise<WrkResult> {
  const n = requests.length;
  const maxSeconds = o.maxSeconds ?? Math.max(120, Math.ceil(n / 200));
  const cpuBefore = o.pid ? cpuSeconds(o.pid) : null;
  // Paced: each thread sends one request every threads/rate seconds.
  const interval = o.ratePerSecond ? (1000 * threads) / o.ratePerSecond : 0;
  const proc = Bun.spawn(
    [WRK, "-t", String(threads), "-c", String(connections), "-d", `${maxSeconds}s`, "--timeout", "60s", "--latency", "-s", script, baseUrl, "--", data, String(threads), String(interval)],
    { stdout: "pipe", stderr: "pipe" },
  );
  let out = "";
  let done = 0;
  let clientCpu: number | null = null;
  let cpuAfter: number | null = null;
  const decoder = new TextDecoder();
  for await (const chunk of proc.stdout as ReadableStream<Uint8Array>) {
    out += decoder.decode(chunk, { stream: true });
    const now = out.split("bench-wrk-thread-done").length - 1;
    if (now > done) {
      done = now;
      if (done === threads) {
        // Every request answered: read both CPU figures before wrk prints and exits.
        cpuAfter = o.pid ? cpuSeconds(o.pid) : null;
        clientCpu = cpuSeconds(proc.pid);
        proc.kill("SIGINT");
      }
    }
  }
  const code = await proc.exited;
  const err = await new Response(proc.stderr as ReadableStream).text();
  const result = /bench-wrk-result (\d+) (\d+) (\d+) (\d+) (\d+)/.exec(out);
  if (!result) throw new Error(`wrk (exit ${code}) printed no result:\n${out}\n${err}`);
  const [answered, non2xx, durationUs, p50us, p99us] = result.slice(1).map(Number);
  const printed = parseWrk(out);
  const seconds = durationUs / 1e6;
  const ok = answered - non2xx;
  const sock = printed.socketErrors;
  const r: WrkResult = {
    n, ok, errors: n - ok, seconds, perSecond: ok / seconds, p50ms: p50us / 1000, p99ms: p99us / 1000,
    threads, connections, wrkRequestsPerSecond: printed.requestsPerSecond, latencyMs: printed.latencyMs, socketErrors: sock, non2xx,
    generator: `wrk ${threads} threads, ${connections} connections${o.ratePerSecond ? `, paced at ${o.ratePerSecond} req/s` : ""}`,
  };
  const dist = (["50", "75", "90", "99"] as const).map((p) => printed.latencyMs[p].toFixed(1)).join("/");
  const lost = sock.connect + sock.read + sock.write + sock.timeout;
  r.generator += ` (latency 50/75/90/99% ${dist} ms${lost ? `, socket errors ${JSON.stringify(sock)}` : ""})`;
  if (clientCpu !== null) r.clientCpuPct = (clientCpu / seconds) * 100;
  if (cpuBefore !== null && cpuAfter !== null && ok) {
    r.cpuMsPerMsg = ((cpuAfter - cpuBefore) * 1000) / ok;
    const idle = await cpuWhenIdle(o.pid!);
    if (idle !== null) r.cpuMsPerMsgSettled = ((idle - cpuBefore) * 1000) / ok;
  }
  if (done < threads) console.log(`  wrk: only ${done} of ${threads} threads had all their answers within ${maxSeconds} s (socket errors: ${JSON.stringify(sock)})`);
  return r;
}
