// npm run eval:triage: the shipped model's scores on the held-out split (never trained on).
import { currentModel, evaluate, formatReport } from "../src/domain/triage/index.ts";
import { heldoutCorpus } from "../src/domain/triage/corpus.ts";

const heldout = heldoutCorpus();
evaluate(currentModel(), heldout.slice(0, 50)); // warm up the JIT before timing
console.log(`held-out split: ${heldout.length} hand-written messages (corpus/triage/heldout.jsonl)`);
console.log(formatReport(evaluate(currentModel(), heldout)));
