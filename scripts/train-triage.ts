// npm run train:triage: rebuilds corpus/triage/{train,heldout}.jsonl from the hand-written
// messages, trains the shipped model on train.jsonl and writes src/domain/triage/model.json,
// then prints its held-out scores. Deterministic: the same corpus gives the same weights.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeCorpus } from "../corpus/triage/build.ts";
import { parseCorpus } from "../src/domain/triage/corpus.ts";
import { evaluate, formatReport } from "../src/domain/triage/evaluate.ts";
import { train } from "../src/domain/triage/train.ts";
import { encodeModel } from "../src/domain/triage/weights-file.ts";

const root = join(import.meta.dir, "..");
const built = writeCorpus();
for (const d of built.duplicates) console.warn(`duplicate hand-written message dropped: ${d}`);
console.log(`corpus: ${built.hand} hand-written, ${built.train} training lines (with variants), ${built.heldout} held out`);
const read = (name: string) => parseCorpus(readFileSync(join(root, "corpus/triage", name), "utf8"));
const started = performance.now();
const model = train(read("train.jsonl"));
const file = JSON.stringify(encodeModel(model));
writeFileSync(join(root, "src/domain/triage/model.json"), file + "\n");
console.log(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s; urgent threshold ${model.urgentThreshold.toFixed(3)}; weights ${(file.length / 1024).toFixed(0)} KiB`);
console.log(formatReport(evaluate(model, read("heldout.jsonl"))));
