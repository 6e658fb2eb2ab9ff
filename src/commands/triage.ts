// pano triage: classifies JSON lines from stdin, so anyone can score Pano on their own messages;
// pano triage retrain: learns from agents' corrections, keeping the new model only if not worse.
import { parseFlags, UsageError } from "../cli.ts";
import { loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { openStore } from "../store/db.ts";
import { listCorrections } from "../store/corrections.ts";
import { classify, formatReport, headlineScores, type Model } from "../domain/triage/index.ts";
import { loadTriageModel, retrainModel } from "../pipeline/triage-model.ts";

export const triageUsage = `Usage: pano triage [--shipped]
  Reads JSON lines {"text": "..."} on stdin and writes one line per input, in order:
  {"intent": "support_request|product_question|complaint|other", "urgent": true|false, "confidence": 0..1}
  An "id" field in the input is copied to the output. A line that is not a JSON object with a
  string "text" gets {"error": {"code": "invalid_line", "message": ...}} and the rest go on.
  Blank lines are skipped. Uses the retrained model in PANO_DATA_DIR if there is one
  (--shipped: the model built into this executable).
Usage: pano triage retrain
  Retrains on the shipped corpus plus the corrections agents made (in PANO_DATA_DIR), scores the
  current and the new model on the held-out split, and keeps the new one only if it is not worse.`;

export interface TriageIO {
  stdin: ReadableStream<Uint8Array>;
  write: (s: string) => void;
}

export async function triageCommand(argv: string[], io: TriageIO): Promise<number> {
  const { flags, rest } = parseFlags(argv, { help: "boolean", shipped: "boolean" });
  if (flags.help) return io.write(triageUsage + "\n"), 0;
  if (rest.length > 1 || (rest[0] !== undefined && rest[0] !== "retrain")) throw new UsageError(`unexpected argument "${rest.join(" ")}"`);
  const config = loadConfig();
  const dataDir = config.dataDir;
  if (rest[0] === "retrain") {
    if (flags.shipped) throw new UsageError("--shipped does not apply to retrain");
    return retrainCommand(dataDir, io, config.databaseUrl);
  }
  // On PostgreSQL the retrained model is the database's (the instances share it).
  const store = config.databaseUrl ? openStore(dataDir, { databaseUrl: config.databaseUrl }) : null;
  let model: Model;
  try {
    model = loadTriageModel(dataDir, { shipped: !!flags.shipped, shared: store?.sqlite }).current;
  } finally {
    store?.close();
  }
  await classifyLines(model, io);
  return 0;
}

/** The answer for one input line; never throws, whatever the line holds. */
export function answerLine(model: Model, line: string, lineNo: number): string {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    return invalid(lineNo, "not JSON");
  }
  if (!input || typeof input !== "object" || Array.isArray(input)) return invalid(lineNo, 'expected an object like {"text": "..."}');
  const { text, id } = input as { text?: unknown; id?: unknown };
  if (typeof text !== "string") return invalid(lineNo, '"text" must be a string', id);
  const t = classify(model, text);
  return JSON.stringify({ ...(id !== undefined ? { id } : {}), intent: t.intent, urgent: t.urgent, confidence: Math.round(t.confidence * 1e4) / 1e4 });
}

function invalid(lineNo: number, why: string, id?: unknown): string {
  return JSON.stringify({ ...(id !== undefined ? { id } : {}), error: { code: "invalid_line", message: `line ${lineNo}: ${why}` } });
}

async function classifyLines(model: Model, io: TriageIO): Promise<void> {
  const decoder = new TextDecoder();
  let pending = "";
  let lineNo = 0;
  const answer = (lines: string[]): string => {
    let out = "";
    for (const raw of lines) {
      lineNo++;
      const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
      if (line.trim()) out += answerLine(model, line, lineNo) + "\n";
    }
    return out;
  };
  for await (const chunk of io.stdin) {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    const out = answer(lines);
    if (out) io.write(out);
  }
  pending += decoder.decode();
  const out = answer([pending]);
  if (out) io.write(out);
}

async function retrainCommand(dataDir: string, io: TriageIO, databaseUrl: string | null): Promise<number> {
  const log = createLogger("info", (l) => io.write(l + "\n"));
  const store = openStore(dataDir, { databaseUrl });
  let result;
  let retrained: boolean;
  let corrections;
  try {
    const model = loadTriageModel(dataDir, { shared: store.kind === "postgres" ? store.sqlite : null });
    retrained = model.source === "retrained";
    corrections = listCorrections(store.sqlite);
    result = retrainModel(model, corrections);
  } finally {
    store.close();
  }
  const from = store.kind === "postgres" ? "retrained, from the database" : "retrained, from the data dir";
  io.write(`current model (${retrained ? from : "shipped"}) on the held-out split:\n${formatReport(result.before)}\n\n`);
  io.write(`retrained on the corpus + ${corrections.length} corrections:\n${formatReport(result.after)}\n\n`);
  log("info", result.accepted ? "triage retrain: new model kept" : "triage retrain: new model is worse, current model kept", {
    accepted: result.accepted, corrections: corrections.length, before: headlineScores(result.before), after: headlineScores(result.after),
  });
  return 0;
}
