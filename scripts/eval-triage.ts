// npm run eval:triage: the shipped model's scores on the held-out split (never trained on).
// Exits 1 when a target is missed, so a worse corpus or model cannot pass unnoticed.
import { shippedModel, evaluate, formatReport, meetsTargets, TARGETS } from "../src/domain/triage/index.ts";
import { heldoutCorpus } from "../src/domain/triage/corpus.ts";

const heldout = heldoutCorpus();
const model = shippedModel();
evaluate(model, heldout); // warm up the JIT before timing
console.log(`held-out split: ${heldout.length} hand-written messages (corpus/triage/heldout.jsonl)`);
const report = evaluate(model, heldout);
console.log(formatReport(report));
const met = meetsTargets(report) && report.msPerMessage < TARGETS.msPerMessage;
console.log(`targets            macro-F1 >= ${TARGETS.macroF1 * 100}%, urgent recall >= ${TARGETS.urgentRecall * 100}%, < ${TARGETS.msPerMessage} ms per message: ${met ? "met" : "NOT MET"}`);
if (!met) process.exitCode = 1;
