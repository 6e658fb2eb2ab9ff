// A shop's own categories ("đổi trả", "bảo hành", "hỏi giá sỉ"): an admin gives each tag a few
// examples (or agents' labels supply them), Pano learns them on the box and suggests them with a
// confidence. One logistic output per tag over the same hashed features as triage; a message may
// carry several tags or none. Pure and deterministic: the store keeps the examples, and the model
// is rebuilt from them (about half a second with the shipped corpus as background) whenever they
// change. Not wired yet: see docs/triage-and-routing.md, "Custom categories".
import { featureBuckets, hashString } from "./features.ts";
import { variantsOf } from "./augment.ts";
import { seededRandom } from "./train.ts";
import { similarity, wordSet } from "./near-duplicate.ts";
import { foldVietnamese } from "../contact.ts";

/** "Bảo hành", "bao hanh", "BẢO HÀNH " and the label "bảo-hành" are one tag. */
export const tagKey = (tag: string) => foldVietnamese(tag).replace(/[\s_-]+/g, " ").trim();

export interface CategoryExample {
  tag: string;
  text: string;
}

export interface CategoryModel {
  tags: string[];
  buckets: number;
  /** buckets x tags, row-major */
  weights: Float32Array;
  bias: Float32Array;
  /** suggested when the probability reaches this */
  threshold: number;
}

export interface Suggestion {
  tag: string;
  /** probability that the message belongs to the tag, 0..1 */
  confidence: number;
}

/** A shop has tens of tags at most, each known from a handful of words: a small table is enough. */
const BUCKETS = 1 << 16;
const EPOCHS = 30;
const LEARNING_RATE = 0.5;
/** Low on purpose: a suggestion is a hint an agent accepts or dismisses with one click, and text
 *  about none of the tags scores under 0.1 (the tests hold both sides). */
const SUGGEST_AT = 0.2;
/** Background messages (the shipped corpus) are many and unlabelled: each counts for less than an example. */
const BACKGROUND_WEIGHT = 0.05;
/** A background message this close to a tag's example may well belong to the tag: not a counter-example. */
const TOO_CLOSE = 0.15;

interface Row {
  feats: Uint32Array;
  /** per tag: 1 positive, 0 negative, -1 not used for that tag */
  target: Int8Array;
  weight: number;
}

/** Learns the tags in `examples`; `background` is text known to be mostly about none of them
 *  (the shipped corpus), so a tag learns what sets it apart, not what every message says. */
export function learnCategories(examples: CategoryExample[], background: string[] = [], seed = 20260121): CategoryModel {
  const tags = [...new Set(examples.map((e) => e.tag.trim()).filter(Boolean))].sort();
  const T = tags.length;
  const rows: Row[] = [];
  const tagSets = tags.map((t) => examples.filter((e) => e.tag.trim() === t).map((e) => wordSet(e.text)));
  for (const e of examples) {
    const k = tags.indexOf(e.tag.trim());
    if (k < 0 || !e.text.trim()) continue;
    // the example as typed and in the spellings customers also use (no diacritics, teencode, typos)
    for (const text of [e.text, ...variantsOf(e.text, hashString(e.text)).map((v) => v.text)]) {
      const target = new Int8Array(T).fill(0);
      target[k] = 1;
      // an example of one tag says nothing against another tag that has a near-identical example
      const set = wordSet(text);
      tagSets.forEach((sets, j) => {
        if (j !== k && sets.some((s) => similarity(s, set) >= TOO_CLOSE)) target[j] = -1;
      });
      rows.push({ feats: featureBuckets(text, BUCKETS), target, weight: 1 });
    }
  }
  for (const text of background) {
    const set = wordSet(text);
    const target = Int8Array.from(tagSets, (sets) => (sets.some((s) => similarity(s, set) >= TOO_CLOSE) ? -1 : 0));
    rows.push({ feats: featureBuckets(text, BUCKETS), target, weight: BACKGROUND_WEIGHT });
  }
  const model: CategoryModel = { tags, buckets: BUCKETS, weights: new Float32Array(BUCKETS * T), bias: new Float32Array(T), threshold: SUGGEST_AT };
  if (!T) return model;
  // balance each tag: its few positives weigh as much, in total, as everything against it
  const posWeight = tags.map((_, k) => {
    let pos = 0, neg = 0;
    for (const r of rows) r.target[k] === 1 ? (pos += r.weight) : r.target[k] === 0 ? (neg += r.weight) : 0;
    return pos ? Math.max(1, neg / pos) : 1;
  });
  const random = seededRandom(seed);
  const order = rows.map((_, i) => i);
  const total = EPOCHS * rows.length;
  const logits = new Float32Array(T);
  let step = 0;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const idx of order) {
      const r = rows[idx];
      const lr = LEARNING_RATE * (1 - step++ / total);
      score(model, r.feats, logits);
      const scale = r.feats.length ? 1 / Math.sqrt(r.feats.length) : 0;
      for (let k = 0; k < T; k++) {
        if (r.target[k] < 0) continue;
        const g = (1 / (1 + Math.exp(-logits[k])) - r.target[k]) * r.weight * (r.target[k] ? posWeight[k] : 1) * lr;
        model.bias[k] -= g * 0.1;
        for (const b of r.feats) model.weights[b * T + k] -= g * scale;
      }
    }
  }
  return model;
}

function score(model: CategoryModel, feats: Uint32Array, out: Float32Array): void {
  const T = model.tags.length;
  out.set(model.bias);
  if (!feats.length) return;
  const scale = 1 / Math.sqrt(feats.length);
  for (const b of feats) for (let k = 0; k < T; k++) out[k] += model.weights[b * T + k] * scale;
}

/** Every tag's confidence for a message, highest first. */
export function categoryScores(model: CategoryModel, text: string): Suggestion[] {
  if (!model.tags.length || !/[\p{L}\p{N}]/u.test(text)) return [];
  const logits = new Float32Array(model.tags.length);
  score(model, featureBuckets(text, model.buckets), logits);
  return model.tags.map((tag, k) => ({ tag, confidence: 1 / (1 + Math.exp(-logits[k])) })).sort((a, b) => b.confidence - a.confidence);
}

/** The tags to suggest for a message: those at or above the model's threshold. */
export const suggestCategories = (model: CategoryModel, text: string): Suggestion[] =>
  categoryScores(model, text).filter((s) => s.confidence >= model.threshold);
