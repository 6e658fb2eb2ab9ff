// Training: plain SGD on the hashed linear model, softmax loss for the intent and logistic loss
// for urgency, with a linearly decaying learning rate (as fastText does). Pure and deterministic
// for a given seed. The urgent threshold is chosen for recall on a validation slice of the
// training examples, never on the held-out set.
import { featureBuckets, hashString, tokenize } from "./features.ts";
import { INTENTS, OUTPUTS, scoreBuckets, sigmoid, softmaxInto, type Intent, type Model } from "./model.ts";
import { asShipped } from "./weights-file.ts";

export interface TrainingExample {
  text: string;
  /** absent when a correction only says whether the message was urgent */
  intent?: Intent | null;
  urgent?: boolean | null;
  /** how much this example counts (agents' corrections count more than the corpus) */
  weight?: number;
  /** a generated variant names its source's group (messageGroup), so validation holds out both */
  of?: number;
}

/** Which group a message belongs to for validation: its folded words, teencode spelled out. */
export const messageGroup = (text: string): number => hashString(tokenize(text).folded.join(" "));

export interface TrainOptions {
  seed?: number;
  epochs?: number;
  learningRate?: number;
  buckets?: number;
  /** the urgent recall to reach on the validation slice when choosing the threshold */
  urgentRecallTarget?: number;
  validationShare?: number;
}

export const DEFAULTS: Required<TrainOptions> = { seed: 20260101, epochs: 40, learningRate: 0.4, buckets: 1 << 18, urgentRecallTarget: 0.97, validationShare: 0.15 };

interface Prepared {
  feats: Uint32Array;
  /** the same message folded or in teencode shares a group: validation must hold out whole groups */
  group: number;
  intent: number;
  urgent: number;
  weight: number;
}

/** mulberry32: a tiny seeded generator, so a retrain with the same data gives the same model. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function prepare(examples: TrainingExample[], buckets: number): Prepared[] {
  return examples.map((e) => ({
    feats: featureBuckets(e.text ?? "", buckets),
    group: e.of ?? messageGroup(e.text ?? ""),
    intent: e.intent ? INTENTS.indexOf(e.intent) : -1,
    urgent: e.urgent === true ? 1 : e.urgent === false ? 0 : -1,
    weight: e.weight ?? 1,
  }));
}

function fit(data: Prepared[], o: Required<TrainOptions>): Model {
  const model: Model = { buckets: o.buckets, weights: new Float32Array(o.buckets * OUTPUTS), bias: new Float32Array(OUTPUTS), urgentThreshold: 0.5, meta: {} };
  // Balanced class weights (dampened): rarer intents and urgent messages are not drowned out.
  const counts = INTENTS.map((_, k) => data.filter((d) => d.intent === k).length);
  const labelled = counts.reduce((a, b) => a + b, 0);
  const classWeight = counts.map((c) => (c ? Math.sqrt(labelled / (INTENTS.length * c)) : 1));
  const pos = data.filter((d) => d.urgent === 1).length;
  const neg = data.filter((d) => d.urgent === 0).length;
  const urgentWeight = pos ? Math.sqrt(neg / pos) : 1;
  const random = seededRandom(o.seed);
  const logits = new Float32Array(OUTPUTS);
  const probs = new Float64Array(INTENTS.length);
  const grad = new Float32Array(OUTPUTS);
  const total = o.epochs * data.length;
  let step = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (const d of shuffle(data, random)) {
      const lr = o.learningRate * (1 - step++ / total) * d.weight;
      scoreBuckets(model, d.feats, logits);
      grad.fill(0);
      if (d.intent >= 0) {
        softmaxInto(logits, INTENTS.length, probs);
        for (let k = 0; k < INTENTS.length; k++) grad[k] = (probs[k] - (k === d.intent ? 1 : 0)) * classWeight[d.intent];
      }
      if (d.urgent >= 0) grad[INTENTS.length] = (sigmoid(logits[INTENTS.length]) - d.urgent) * (d.urgent ? urgentWeight : 1);
      const scale = d.feats.length ? 1 / Math.sqrt(d.feats.length) : 0;
      for (let k = 0; k < OUTPUTS; k++) model.bias[k] -= lr * grad[k] * 0.1;
      for (let i = 0; i < d.feats.length; i++) {
        const row = d.feats[i] * OUTPUTS;
        for (let k = 0; k < OUTPUTS; k++) model.weights[row + k] -= lr * grad[k] * scale;
      }
    }
  }
  return model;
}

/** The highest threshold that still catches `target` of the urgent validation messages. */
function urgentThreshold(model: Model, validation: Prepared[], target: number): number {
  const logits = new Float32Array(OUTPUTS);
  const scores = validation
    .filter((d) => d.urgent === 1)
    .map((d) => (scoreBuckets(model, d.feats, logits), sigmoid(logits[INTENTS.length])))
    .sort((a, b) => b - a);
  if (!scores.length) return 0.5;
  const idx = Math.min(scores.length - 1, Math.ceil(target * scores.length) - 1);
  return Math.min(0.5, Math.max(0.05, scores[idx] - 1e-6));
}

/** Macro-F1 of the intent on validation examples when `offset` is added to the "other" logit. */
function macroF1With(model: Model, validation: Prepared[], offset: number): number {
  const logits = new Float32Array(OUTPUTS);
  const tp = new Array(INTENTS.length).fill(0), fp = new Array(INTENTS.length).fill(0), fn = new Array(INTENTS.length).fill(0);
  for (const d of validation) {
    if (d.intent < 0) continue;
    scoreBuckets(model, d.feats, logits);
    logits[OTHER] += offset;
    let best = 0;
    for (let k = 1; k < INTENTS.length; k++) if (logits[k] > logits[best]) best = k;
    if (best === d.intent) tp[best]++;
    else fp[best]++, fn[d.intent]++;
  }
  const f1 = tp.map((t, k) => (t ? (2 * t) / (2 * t + fp[k] + fn[k]) : 0));
  return f1.reduce((a, b) => a + b, 0) / f1.length;
}

const OTHER = INTENTS.indexOf("other");
/** How far "other" may be moved: it is where unfamiliar text falls, so it is calibrated, not trusted. */
const OTHER_OFFSETS = [-1.5, -1.25, -1, -0.75, -0.5, -0.25, 0, 0.25];

/** The offset to the "other" logit that gives the best validation macro-F1 (the smallest move on ties). */
function otherOffset(model: Model, validation: Prepared[]): number {
  let best = 0, bestF1 = macroF1With(model, validation, 0);
  for (const o of OTHER_OFFSETS) {
    const f1 = macroF1With(model, validation, o);
    if (f1 > bestF1 + 1e-9 || (Math.abs(f1 - bestF1) <= 1e-9 && Math.abs(o) < Math.abs(best))) (best = o), (bestF1 = f1);
  }
  return best;
}

export function train(examples: TrainingExample[], opts: TrainOptions = {}): Model {
  const o = { ...DEFAULTS, ...opts };
  const data = prepare(examples, o.buckets);
  const salt = seededRandom(o.seed ^ 0x5eed)() * 0xffffffff;
  const inValidation = data.map((d) => (hashString(String(d.group ^ salt)) % 1000) / 1000 < o.validationShare);
  const probe = fit(data.filter((_, i) => !inValidation[i]), o);
  const validation = data.filter((_, i) => inValidation[i]);
  const threshold = urgentThreshold(probe, validation, o.urgentRecallTarget);
  const offset = otherOffset(probe, validation);
  const model = fit(data, o);
  model.urgentThreshold = threshold;
  model.bias[OTHER] += offset;
  model.meta = { trainedOn: examples.length, seed: o.seed, epochs: o.epochs, learningRate: o.learningRate, otherOffset: offset };
  return asShipped(model);
}
