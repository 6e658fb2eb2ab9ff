// The corpus the triage model learns from: big enough, every label present, a held-out split
// that shares no message (nor a near-twin) with training, the committed splits built from the
// hand-written files, and a README saying how it was made.
import { expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildCorpus, corpusKey } from "../corpus/triage/build.ts";
import { heldoutCorpus, trainingCorpus, type CorpusLine } from "../src/domain/triage/corpus.ts";
import { INTENTS } from "../src/domain/triage/index.ts";
import { NEAR_DUPLICATE, similarity, wordSet } from "../src/domain/triage/near-duplicate.ts";
import { ROOT } from "./support/pano.ts";

const train = trainingCorpus();
const heldout = heldoutCorpus();
const handWritten = (lines: CorpusLine[]) => lines.filter((l) => !l.variant);

test("at least 2,000 distinct hand-written labelled messages, at least 400 of them held out", () => {
  const distinct = new Set([...handWritten(train), ...heldout].map((l) => corpusKey(l.text)));
  expect(distinct.size).toBeGreaterThanOrEqual(2000);
  expect(distinct.size).toBe(handWritten(train).length + heldout.length);
  expect(heldout.length).toBeGreaterThanOrEqual(400);
  expect(heldout.every((l) => !l.variant)).toBe(true);
});

test("no held-out message, nor a near-duplicate of one, is in the training split (variants included)", () => {
  const trainKeys = new Set(train.map((l) => corpusKey(l.text)));
  expect(heldout.filter((l) => trainKeys.has(corpusKey(l.text))).map((l) => l.text)).toEqual([]);
  const trainSets = train.map((l) => wordSet(l.text));
  const twins = heldout.flatMap((h) => {
    const s = wordSet(h.text);
    const i = trainSets.findIndex((t) => similarity(s, t) >= NEAR_DUPLICATE);
    return i < 0 ? [] : [`${h.text}  ~  ${train[i].text}`];
  });
  expect(twins).toEqual([]);
});

test("every intent, both urgencies and every channel appear in both splits; urgent support requests and complaints are held out too", () => {
  for (const [name, split] of [["train", train], ["held-out", heldout]] as const) {
    for (const intent of INTENTS) expect(split.filter((l) => l.intent === intent).length).toBeGreaterThanOrEqual(name === "train" ? 200 : 60);
    for (const urgent of [true, false]) expect(split.filter((l) => l.urgent === urgent).length).toBeGreaterThanOrEqual(name === "train" ? 100 : 30);
    for (const channel of ["zalo", "facebook", "email"]) expect(split.some((l) => l.channel === channel)).toBe(true);
  }
  for (const intent of ["support_request", "complaint"]) expect(heldout.some((l) => l.intent === intent && l.urgent)).toBe(true);
});

test("the committed splits are exactly what the hand-written files build", () => {
  const built = buildCorpus();
  expect(built.duplicates.length).toBeLessThan(10);
  const jsonl = (ls: CorpusLine[]) => ls.map((l) => JSON.stringify(l)).join("\n") + "\n";
  expect(readFileSync(join(ROOT, "corpus/triage/train.jsonl"), "utf8")).toBe(jsonl(built.train));
  expect(readFileSync(join(ROOT, "corpus/triage/heldout.jsonl"), "utf8")).toBe(jsonl(built.heldout));
});

test("the corpus README says how the messages were made, labelled and split", () => {
  const path = join(ROOT, "corpus/triage/README.md");
  expect(existsSync(path)).toBe(true);
  const readme = readFileSync(path, "utf8");
  for (const topic of ["## How it was made", "held-out", "near-duplicate", "variant", "teencode", "npm run train:triage", "npm run eval:triage"]) expect(readme).toContain(topic);
});
