// bench/triage: (1) the local model classifying N customer messages, beside tokenising the same
// messages alone (the first step of classifying, so the ratio says what the model adds);
// (2) ingest with triage + routing on against the same ingest with them off (PANO_TRIAGE=off),
// in the same run, and how long after the last acknowledgement every message is triaged. Unit of
// work both sides: one API-channel message per request (5,000 contacts, synchronous=FULL), the
// same bodies sent once each by wrk (2 threads, 64 connections).
import { Database } from "bun:sqlite";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { report, type LoadResult } from "./load.ts";
import { driveWrk } from "./wrk.ts";
import { startBenchPano, benchSize, panoAddress } from "./processes.ts";
import type { PanoProcess } from "../tests/support/pano.ts";
import { classify, shippedModel } from "../src/domain/triage/index.ts";
import { tokenize } from "../src/domain/triage/features.ts";
import { heldoutCorpus, trainingCorpus } from "../src/domain/triage/corpus.ts";
import { heldoutStylesCorpus } from "../src/domain/triage/heldout-styles.ts";

/** Real-looking messages: the corpus, each made distinct by an order number. */
const texts = [...trainingCorpus(), ...heldoutCorpus()].map((l) => l.text);
export const customerText = (i: number) => `${texts[i % texts.length]} #${100000 + i}`;

function perSecond(n: number, work: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(n, 2000); i++) work(i); // warm up the JIT
  const started = performance.now();
  for (let i = 0; i < n; i++) work(i);
  return n / ((performance.now() - started) / 1000);
}

/** N API-channel messages from 5,000 customers, sent by wrk as bench/ingest sends them. */
export async function ingestInto(pano: PanoProcess, n: number, text: (i: number) => string): Promise<LoadResult> {
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "bench" } });
  const salt = `t${Date.now()}`;
  const headers = { authorization: `Bearer ${pano.token}`, "content-type": "application/json" };
  const body = (i: number) => JSON.stringify({ external_contact_id: `kh-${i % 5000}`, contact_name: `Khách ${i % 5000}`, external_message_id: `${salt}-${i}`, text: text(i) });
  return driveWrk(panoAddress(pano), Array.from({ length: n }, (_, i) => ({ path: `/api/v1/channels/${ch.id}/inbound`, headers, body: body(i) })));
}

/** Seconds after the last acknowledgement until no open conversation is left as `pending` says. */
export async function catchUp(pano: PanoProcess, pending = "intent IS NULL"): Promise<number> {
  const started = performance.now();
  const db = new Database(join(pano.dataDir, "pano.db"), { readonly: true });
  try {
    while (db.query<{ n: number }, []>(`SELECT count(*) AS n FROM conversations WHERE status = 'open' AND (${pending})`).get()!.n) await Bun.sleep(20);
    return (performance.now() - started) / 1000;
  } finally {
    db.close();
  }
}

/** A few rules of the kind a shop starts with, so routing has work on every message. */
async function someRules(pano: PanoProcess): Promise<void> {
  const team = (name: string) => pano.json("/api/v1/teams", { method: "POST", json: { name, assignment: "manual" } }).then((t) => t.id);
  const [care, sales] = [await team("CSKH"), await team("Bán hàng")];
  const rules = [
    { name: "Khẩn", conditions: { urgent: true, applies_to: "any_message" }, actions: { team_id: care, labels: ["khan"] } },
    { name: "Phàn nàn", conditions: { intents: ["complaint"] }, actions: { team_id: care, labels: ["phan-nan"] } },
    { name: "Hoàn tiền", conditions: { keywords: ["hoàn tiền", "refund", "trả hàng"] }, actions: { team_id: care, labels: ["hoan-tien"] } },
    { name: "Hỏi hàng", conditions: { intents: ["product_question"] }, actions: { team_id: sales } },
  ];
  for (const json of rules) await pano.json("/api/v1/routing-rules", { method: "POST", json });
}

export async function run() {
  // classifying is cheap: always the 100,000 (BENCH_CLASSIFY_N to change); BENCH_N sizes the ingest
  const n = Number(process.env.BENCH_CLASSIFY_N ?? 100_000);
  const model = shippedModel();
  const classified = perSecond(n, (i) => classify(model, customerText(i)));
  const tokenised = perSecond(n, (i) => tokenize(customerText(i)));
  // the messier held-out-styles messages (long emails, teencode) cost more per message than the corpus's
  const styles = heldoutStylesCorpus().map((l) => l.text);
  const styleText = (i: number) => `${styles[i % styles.length]} #${100000 + i}`;
  const messy = perSecond(n, (i) => classify(model, styleText(i)));
  const messyTokenised = perSecond(n, (i) => tokenize(styleText(i)));
  console.log(`bench/triage: classify ${n} corpus messages (intent + urgency, local model, one thread)`);
  console.log(`  classify  ${classified.toFixed(0).padStart(7)} msg/s  (${(1e6 / classified).toFixed(1)} µs per message)`);
  console.log(`  baseline  ${tokenised.toFixed(0).padStart(7)} msg/s  tokenising alone (${(1e6 / tokenised).toFixed(1)} µs per message)`);
  console.log(`  ratio     ${((classified / tokenised) * 100).toFixed(1)}% of tokenising speed`);
  console.log(`  styles    ${messy.toFixed(0).padStart(7)} msg/s  held-out-styles messages (${(1e6 / messy).toFixed(1)} µs per message), ${((messy / messyTokenised) * 100).toFixed(1)}% of tokenising the same messages (${messyTokenised.toFixed(0)} msg/s)`);

  const m = benchSize(20_000);
  const { pano, baseline, lagSeconds, cpu, baselineCpu } = await onVersusOff(m, someRules, "intent IS NULL");
  console.log(report(`bench/triage: ingest ${m} API-channel messages with triage + 4 routing rules on (pano) vs off (baseline), wrk 2 threads / 64 connections, best of ${ROUNDS} alternating rounds`, pano, baseline, 0.9));
  console.log(`  pipeline  every message triaged and routed ${lagSeconds.toFixed(2)} s after the last acknowledgement (in the best round)`);
  console.log(cpuLine(m, cpu, baselineCpu));
  return { classifyPerSecond: classified, stylesPerSecond: messy, tokenisePerSecond: tokenised, pano, baseline, lagSeconds };
}

/** CPU seconds a process has used (Linux /proc): steadier than msg/s on a shared machine. */
function cpuSeconds(pid: number): number | null {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return null;
  const fields = readFileSync(path, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 1/100 s
}

interface Cpu { burst: number | null; total: number | null }

const msPerMessage = (s: number | null, n: number) => (s === null ? "n/a" : `${((s * 1000) / n).toFixed(3)} ms`);

export function cpuLine(m: number, on: Cpu, off: Cpu): string {
  return `  cpu       pano ${msPerMessage(on.burst, m)} per message while acknowledging, ${msPerMessage(on.total, m)} with the triage catch-up; baseline ${msPerMessage(off.burst, m)}`;
}

/** The machine is shared: off and on alternate, and each side keeps its best round. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

/** `configure` prepares the "on" Pano and may return what undoes it (agents' open connections). */
export async function onVersusOff(m: number, configure: (pano: PanoProcess) => Promise<(() => void) | void>, pending: string) {
  let baseline: { result: LoadResult; cpu: Cpu } | null = null;
  let best: { pano: LoadResult; lagSeconds: number; cpu: Cpu } | null = null;
  for (let round = 0; round < ROUNDS; round++) {
    const off = await startBenchPano({ PANO_TRIAGE: "off" });
    try {
      const c0 = cpuSeconds(off.proc.pid);
      const r = await ingestInto(off, m, customerText);
      const c1 = cpuSeconds(off.proc.pid);
      const burst = c0 === null || c1 === null ? null : c1 - c0;
      if (!baseline || r.perSecond > baseline.result.perSecond) baseline = { result: r, cpu: { burst, total: burst } };
    } finally {
      await off.stop();
    }
    const on = await startBenchPano();
    let undo: (() => void) | void = undefined;
    try {
      undo = await configure(on);
      const c0 = cpuSeconds(on.proc.pid);
      const r = await ingestInto(on, m, customerText);
      const c1 = cpuSeconds(on.proc.pid);
      const lagSeconds = await catchUp(on, pending);
      const c2 = cpuSeconds(on.proc.pid);
      const cpu = c0 === null || c1 === null || c2 === null ? { burst: null, total: null } : { burst: c1 - c0, total: c2 - c0 };
      if (!best || r.perSecond > best.pano.perSecond) best = { pano: r, lagSeconds, cpu };
    } finally {
      undo?.();
      await on.stop();
    }
  }
  return { baseline: baseline!.result, baselineCpu: baseline!.cpu, ...best! };
}

if (import.meta.main) await run();
