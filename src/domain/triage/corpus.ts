// The shipped corpus, embedded in the executable: retrain starts from it, and the held-out
// split is what every model (shipped or retrained) is scored on. Embedded as files, read when a
// retrain or an evaluation asks: imported as text, its ~800 KB became ~1.5 MB of UTF-16 strings
// in every serving process's heap for good.
import { readFileSync } from "node:fs";
import trainPath from "../../../corpus/triage/train.jsonl" with { type: "file" };
import heldoutPath from "../../../corpus/triage/heldout.jsonl" with { type: "file" };
import { INTENTS } from "./model.ts";
import type { LabelledMessage } from "./evaluate.ts";

export interface CorpusLine extends LabelledMessage {
  channel: "zalo" | "facebook" | "email";
  /** set on training lines generated from a hand-written one (see corpus/triage/README.md) */
  variant?: string;
  /** on a variant: its hand-written source's group, so validation keeps the two together */
  of?: number;
}

export function parseCorpus(text: string): CorpusLine[] {
  return text
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusLine)
    .filter((l) => typeof l.text === "string" && INTENTS.includes(l.intent) && typeof l.urgent === "boolean");
}

export const trainingCorpus = (): CorpusLine[] => parseCorpus(readFileSync(trainPath, "utf8"));
export const heldoutCorpus = (): CorpusLine[] => parseCorpus(readFileSync(heldoutPath, "utf8"));
