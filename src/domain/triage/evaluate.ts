// Scores a model on labelled messages: per-intent precision/recall/F1, macro-F1, urgent recall
// and precision, and the time one classification takes.
import { INTENTS, predict, type Intent, type Model } from "./model.ts";

export interface LabelledMessage {
  text: string;
  intent: Intent;
  urgent: boolean;
}

export interface ClassScore {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvalReport {
  n: number;
  accuracy: number;
  macroF1: number;
  perClass: Record<Intent, ClassScore>;
  urgent: { recall: number; precision: number; support: number };
  msPerMessage: number;
}

const ratio = (a: number, b: number) => (b ? a / b : 0);

export function evaluate(model: Model, examples: LabelledMessage[]): EvalReport {
  const started = performance.now();
  const predictions = examples.map((e) => predict(model, e.text));
  const msPerMessage = ratio(performance.now() - started, examples.length);
  const perClass = {} as Record<Intent, ClassScore>;
  for (const intent of INTENTS) {
    let tp = 0, fp = 0, fn = 0;
    examples.forEach((e, i) => {
      const hit = predictions[i].intent === intent;
      if (hit && e.intent === intent) tp++;
      else if (hit) fp++;
      else if (e.intent === intent) fn++;
    });
    const precision = ratio(tp, tp + fp);
    const recall = ratio(tp, tp + fn);
    perClass[intent] = { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support: tp + fn };
  }
  let utp = 0, ufp = 0, ufn = 0;
  examples.forEach((e, i) => {
    const u = predictions[i].urgent;
    if (u && e.urgent) utp++;
    else if (u) ufp++;
    else if (e.urgent) ufn++;
  });
  const present = INTENTS.filter((k) => perClass[k].support > 0);
  return {
    n: examples.length,
    accuracy: ratio(examples.filter((e, i) => predictions[i].intent === e.intent).length, examples.length),
    macroF1: ratio(present.reduce((s, k) => s + perClass[k].f1, 0), present.length),
    perClass,
    urgent: { recall: ratio(utp, utp + ufn), precision: ratio(utp, utp + ufp), support: utp + ufn },
    msPerMessage,
  };
}

/** What the issue promises on the held-out split. */
export const TARGETS = { macroF1: 0.85, urgentRecall: 0.9, msPerMessage: 1 };

export const meetsTargets = (r: EvalReport): boolean => r.macroF1 >= TARGETS.macroF1 && r.urgent.recall >= TARGETS.urgentRecall;

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** The scores a retrain logs for each model, in the log's snake_case. */
export const headlineScores = (r: EvalReport) => ({
  macro_f1: round4(r.macroF1),
  urgent_recall: round4(r.urgent.recall),
  urgent_precision: round4(r.urgent.precision),
  held_out: r.n,
});

const pct = (x: number) => (x * 100).toFixed(1).padStart(5) + "%";

/** The report as the eval script and `pano triage retrain` print it. */
export function formatReport(r: EvalReport): string {
  const lines = [`${"intent".padEnd(18)} precision  recall     f1  support`];
  for (const k of INTENTS) {
    const c = r.perClass[k];
    lines.push(`${k.padEnd(18)} ${pct(c.precision)}    ${pct(c.recall)} ${pct(c.f1)}  ${String(c.support).padStart(7)}`);
  }
  lines.push(`intent macro-F1    ${pct(r.macroF1)}   accuracy ${pct(r.accuracy)}   (${r.n} messages)`);
  lines.push(`urgent recall      ${pct(r.urgent.recall)}   precision ${pct(r.urgent.precision)}   (${r.urgent.support} urgent)`);
  lines.push(`latency            ${(r.msPerMessage * 1000).toFixed(1)} µs per message`);
  return lines.join("\n");
}
