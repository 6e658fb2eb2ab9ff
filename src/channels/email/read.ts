// Raw mail bytes -> Pano's events (a plain text mail by text-mail.ts, any other by mailparser;
// then parse.ts). A backlog is read on a worker thread so that parsing (the largest CPU cost of
// a mail after storing it) runs on another core while this thread downloads and stores; a mail
// or two (the usual IDLE news) is read right here, without the hop. Should the worker be
// unavailable or fail, the batch is read here too: a worker is an optimisation, never a way to
// lose mail.
import { simpleParser } from "mailparser";
import { createHash } from "node:crypto";
import type { InboundEvent } from "../../domain/message.ts";
import { mailToEvents, unreadableMail, PARSE_OPTIONS, type FetchedMail, type ParseContext } from "./parse.ts";
import { readTextMail } from "./text-mail.ts";

export interface RawMail {
  raw: Uint8Array;
  /** Size on the server; larger than `raw` when the mail was fetched only up to the limit. */
  size: number;
  truncated: boolean;
}

export async function parseOne(raw: Uint8Array, size: number, truncated: boolean, ctx: ParseContext): Promise<InboundEvent[]> {
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  try {
    const parsed = readTextMail(bytes) ?? (await simpleParser(bytes, PARSE_OPTIONS));
    const mail: FetchedMail = { parsed, size, truncated, rawHash: createHash("sha256").update(bytes).digest("hex"), raw: bytes };
    return mailToEvents(mail, ctx);
  } catch (err) {
    return unreadableMail(bytes, size, String((err as Error)?.message ?? err).slice(0, 200), ctx);
  }
}

/** Reads one mail after another: at most one mail's parse state in memory, and the JIT stays hot. */
export async function parseAll(mails: RawMail[], ctx: ParseContext): Promise<InboundEvent[][]> {
  const out: InboundEvent[][] = [];
  for (const m of mails) out.push(await parseOne(m.raw, m.size, m.truncated, ctx));
  return out;
}

export interface ReadRequest {
  id: number;
  mails: RawMail[];
  ctx: ParseContext;
}
export type ReadReply = { id: number; events: InboundEvent[][] } | { id: number; error: string };

// Below this many mails the hop to the worker (and its start) costs more than it saves.
const WORKER_MIN_MAILS = 16;
// An idle worker is ended: its memory is not kept for a mailbox that hears nothing.
const WORKER_IDLE_MS = 30_000;
// A worker that died this many times stays off for the life of the process.
const WORKER_MAX_FAILURES = 3;

// `bun build --compile` embeds the worker as an entrypoint of its own (scripts/build.ts), named
// by its path below src/, the entrypoints' common folder, inside the executable's /$bunfs/root.
const WORKER_ENTRY = import.meta.url.includes("$bunfs") ? "./channels/email/read-worker.ts" : new URL("./read-worker.ts", import.meta.url).href;

// Where the reader says it fell back to the main thread: the log of the poller that asked last.
let warn: (msg: string) => void = () => {};

interface Waiting {
  resolve(events: InboundEvent[][]): void;
  reject(err: Error): void;
}

let worker: Worker | null = null;
let failures = 0;
let nextId = 1;
const waiting = new Map<number, Waiting>();
let idleTimer: ReturnType<typeof setTimeout> | null = null;

function endWorker(reason: Error | null) {
  const w = worker;
  worker = null;
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  for (const [, p] of waiting) p.reject(reason ?? new Error("mail reader ended"));
  waiting.clear();
  w?.terminate();
}

function startWorker(): Worker | null {
  if (worker) return worker;
  if (failures >= WORKER_MAX_FAILURES) return null;
  let w: Worker;
  try {
    w = new Worker(WORKER_ENTRY);
  } catch (err) {
    failures = WORKER_MAX_FAILURES;
    warn(`mail reader thread cannot start (${String(err)}); mail is parsed on the main thread`);
    return null;
  }
  // Pano's own shutdown decides when the process ends, not a parked reader (see onWorker).
  holdProcess(w, false);
  w.onmessage = (ev: MessageEvent<ReadReply>) => {
    const p = waiting.get(ev.data.id);
    if (!p) return;
    waiting.delete(ev.data.id);
    if ("error" in ev.data) p.reject(new Error(ev.data.error));
    else p.resolve(ev.data.events);
    if (!waiting.size) {
      holdProcess(w, false);
      idleSoon();
    }
  };
  w.onerror = (ev: ErrorEvent) => {
    failures++;
    warn(`mail reader thread failed (${ev.message}); ${failures < WORKER_MAX_FAILURES ? "its batches are parsed on the main thread" : "mail is parsed on the main thread from now on"}`);
    endWorker(new Error(`mail reader failed: ${ev.message}`));
  };
  worker = w;
  return w;
}

// Referenced only while it has work: Bun's event loop spins on a core while it awaits an
// unreferenced worker's answer.
function holdProcess(w: Worker, hold: boolean) {
  const ref = w as Worker & { ref(): void; unref(): void };
  if (hold) ref.ref();
  else ref.unref();
}

function idleSoon() {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    if (!waiting.size) endWorker(null);
  }, WORKER_IDLE_MS);
  idleTimer.unref?.();
}

function onWorker(w: Worker, mails: RawMail[], ctx: ParseContext): Promise<InboundEvent[][]> {
  const id = nextId++;
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  if (!waiting.size) holdProcess(w, true);
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    const request: ReadRequest = { id, mails, ctx };
    w.postMessage(request);
  });
}

/** Starts the worker ahead of a backlog of about `expected` mails, so it is up when the first batch is. */
export function prepareMailReader(expected: number, log: (msg: string) => void): void {
  warn = log;
  if (expected >= WORKER_MIN_MAILS && startWorker() && !waiting.size) idleSoon();
}

/** The events of each mail, in order: on the worker for a backlog, here for a mail or two. */
export async function readMails(mails: RawMail[], ctx: ParseContext, log: (msg: string) => void): Promise<InboundEvent[][]> {
  warn = log;
  const w = mails.length >= WORKER_MIN_MAILS ? startWorker() : null;
  if (w) {
    try {
      return await onWorker(w, mails, ctx);
    } catch {
      // The worker died or could not start (the mail itself cannot make parseAll throw): read here.
    }
  }
  return parseAll(mails, ctx);
}
