// npm run train:triage: rebuilds corpus/triage/{train,heldout}.jsonl from the hand-written
// messages, trains the shipped model on train.jsonl and writes src/domain/triage/model.json,
// then prints its held-out scores. Refuses to train when a line is (nearly) one of the
// held-out-styles messages, which are for scoring only. Deterministic: the same corpus gives the same weights.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeCorpus } from "../corpus/triage/build.ts";
import { parseCorpus } from "../src/domain/triage/corpus.ts";
import { evaluate, formatReport } from "../src/domain/triage/evaluate.ts";
import { train } from "../src/domain/triage/train.ts";
import { encodeModel } from "../src/domain/triage/weights-file.ts";
import { HELDOUT_STYLES_PATH, leaksIntoTraining } from "../src/domain/triage/heldout-styles.ts";

const root = join(import.meta.dir, "..");
const built = writeCorpus();
for (const d of built.duplicates) console.warn(`duplicate hand-written message dropped: ${d}`);
console.log(`corpus: ${built.hand} hand-written, ${built.train} training lines (with variants), ${built.heldout} held out`);
const read = (name: string) => {
  // the held-out-styles set is for scoring only: refuse it as training data, by name or by content
  if (join(root, "corpus/triage", name) === HELDOUT_STYLES_PATH) throw new Error(`${name} is held out: never trained on`);
  return parseCorpus(readFileSync(join(root, "corpus/triage", name), "utf8"));
};
const training = read("train.jsonl");
const leaks = leaksIntoTraining(training);
if (leaks.length) {
  for (const l of leaks) console.error(`training line too close to a held-out-styles message: ${l}`);
  throw new Error(`${leaks.length} training lines leak the held-out-styles set; reword them`);
}
const started = performance.now();
const model = train(training);
const file = JSON.stringify(encodeModel(model));
writeFileSync(join(root, "src/domain/triage/model.json"), file + "\n");
console.log(`trained in ${((performance.now() - started) / 1000).toFixed(1)} s; urgent threshold ${model.urgentThreshold.toFixed(3)}; weights ${(file.length / 1024).toFixed(0)} KiB`);
console.log(formatReport(evaluate(model, read("heldout.jsonl"))));
