// npm run eval:triage: the shipped model's scores on both held-out sets (never trained on): the
// corpus's own held-out split, and the held-out-styles set written apart from the corpus.
// Exits 1 when a target is missed, so a worse corpus or model cannot pass unnoticed.
import { shippedModel, evaluate, formatReport, meetsTargets, TARGETS } from "../src/domain/triage/index.ts";
import { heldoutCorpus } from "../src/domain/triage/corpus.ts";
import { heldoutStylesCorpus } from "../src/domain/triage/heldout-styles.ts";

const model = shippedModel();
let met = true;
for (const [name, set, what] of [
  ["held-out split", heldoutCorpus(), "hand-written messages (corpus/triage/heldout.jsonl)"],
  ["held-out styles", heldoutStylesCorpus(), "messages written apart from the corpus (corpus/triage/heldout-styles.jsonl)"],
] as const) {
  evaluate(model, set); // warm up the JIT before timing
  const report = evaluate(model, set);
  console.log(`\n${name}: ${set.length} ${what}`);
  console.log(formatReport(report));
  const ok = meetsTargets(report) && report.msPerMessage < TARGETS.msPerMessage;
  console.log(`targets            macro-F1 >= ${TARGETS.macroF1 * 100}%, urgent recall >= ${TARGETS.urgentRecall * 100}%, < ${TARGETS.msPerMessage} ms per message: ${ok ? "met" : "NOT MET"}`);
  met &&= ok;
}
if (!met) process.exitCode = 1;
