// The triage model: one hashed linear layer. Per feature bucket, four intent weights (softmax)
// and one urgent weight (logistic). Stored sparse and quantised to int8 per output, so the
// shipped weights stay small enough to embed in the executable.
import { featureBuckets, MAX_CHARS } from "./features.ts";

export const INTENTS = ["support_request", "product_question", "complaint", "other"] as const;
export type Intent = (typeof INTENTS)[number];
/** outputs per bucket: the four intents, then urgent */
export const OUTPUTS = INTENTS.length + 1;
const URGENT = INTENTS.length;

export interface Model {
  buckets: number;
  /** buckets x OUTPUTS, row-major */
  weights: Float32Array;
  bias: Float32Array;
  /** urgent when the urgent probability reaches this (chosen on a validation slice of train) */
  urgentThreshold: number;
  meta: Record<string, unknown>;
}

export interface Triage {
  intent: Intent;
  urgent: boolean;
  /** probability of the chosen intent, 0..1 */
  confidence: number;
  /** probability that the message is urgent, 0..1 */
  urgentScore: number;
}

/** Raw scores: intent logits and the urgent logit, given a message's feature buckets. */
export function scoreBuckets(model: Model, feats: Uint32Array, out: Float32Array): void {
  out.set(model.bias);
  if (!feats.length) return;
  const w = model.weights;
  const scale = 1 / Math.sqrt(feats.length);
  for (let i = 0; i < feats.length; i++) {
    const row = feats[i] * OUTPUTS;
    for (let k = 0; k < OUTPUTS; k++) out[k] += w[row + k] * scale;
  }
}

export function softmaxInto(logits: Float32Array, n: number, probs: Float64Array): void {
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, logits[k]);
  let sum = 0;
  for (let k = 0; k < n; k++) sum += probs[k] = Math.exp(logits[k] - max);
  for (let k = 0; k < n; k++) probs[k] /= sum;
}

export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

const logits = new Float32Array(OUTPUTS);
const probs = new Float64Array(INTENTS.length);

/** Messages without a single word (empty, emoji, symbols) are "other": nothing to route on. */
const NOTHING: Triage = { intent: "other", urgent: false, confidence: 1, urgentScore: 0 };

/** Control characters and U+FFFD (bytes that were not UTF-8): a file pasted or sent as text. */
const BINARY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/gu;
/** Past this share of such characters the letters in between are noise, not words. */
const BINARY_SHARE = 0.1;
const looksBinary = (s: string) => (s.match(BINARY)?.length ?? 0) >= s.length * BINARY_SHARE;

export function predict(model: Model, input: string): Triage {
  const text = typeof input === "string" ? input : String(input ?? "");
  const head = text.slice(0, MAX_CHARS);
  if (!/[\p{L}\p{N}]/u.test(head) || looksBinary(head)) return { ...NOTHING };
  const feats = featureBuckets(text, model.buckets);
  scoreBuckets(model, feats, logits);
  softmaxInto(logits, INTENTS.length, probs);
  let best = 0;
  for (let k = 1; k < INTENTS.length; k++) if (probs[k] > probs[best]) best = k;
  const urgentScore = sigmoid(logits[URGENT]);
  return { intent: INTENTS[best], urgent: urgentScore >= model.urgentThreshold, confidence: probs[best], urgentScore };
}
