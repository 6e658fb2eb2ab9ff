// `pano triage` scores anyone's messages as JSON lines, whatever they hold; `pano triage retrain`
// learns from the corrections agents made in a data dir, logs both models' held-out scores and
// keeps the new model only when it is not worse.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ON_POSTGRES, openDatabaseOf, runPano, startPano, eventually, tempDir, type PanoProcess } from "./support/pano.ts";
import { customerSays } from "./support/agents.ts";
import { INTENTS } from "../src/domain/triage/index.ts";
import { trainingCorpus } from "../src/domain/triage/corpus.ts";

const MODEL_FILE = "triage-model.json";
const triageLines = async (stdin: string, args: string[] = [], dataDir = tempDir()) => {
  const r = await runPano(["triage", ...args], { PANO_DATA_DIR: dataDir }, { stdin });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return r.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l));
};

describe("pano triage", () => {
  test("one answer per JSON line, in order, with intent, urgency and a confidence between 0 and 1", async () => {
    const texts = [
      "Shop ơi áo sơ mi trắng còn size M không ạ, giá bao nhiêu vậy",
      "tôi chuyển khoản 2 triệu 3 hôm nay rồi mà chưa thấy đơn, ko giải quyết tôi báo công an",
      "cam on shop nhieu nha 😍",
    ];
    const out = await triageLines(texts.map((text, i) => JSON.stringify({ id: `m${i}`, text })).join("\n") + "\n");
    expect(out.map((a) => a.id)).toEqual(["m0", "m1", "m2"]);
    for (const a of out) {
      expect(INTENTS).toContain(a.intent);
      expect(typeof a.urgent).toBe("boolean");
      expect(a.confidence).toBeGreaterThanOrEqual(0);
      expect(a.confidence).toBeLessThanOrEqual(1);
    }
    expect(out[0].intent).toBe("product_question");
    expect(out[1].urgent).toBe(true);
    expect(out[2]).toMatchObject({ intent: "other", urgent: false });
  });

  test("empty, emoji-only, 10,000-character and binary-looking messages are answered as other, without error", async () => {
    const binary = new TextDecoder().decode(Uint8Array.from({ length: 600 }, (_, i) => (i * 97 + 13) % 256));
    const texts = ["", "   ", "😀😂👍🙏❤️", "!!! ??? ...", "ha ".repeat(3334).slice(0, 10_000), binary, "\u0000\u0001PK\u0003\u0004\uFFFD\uFFFDIHDR\u0000"];
    expect(texts[4].length).toBe(10_000);
    // CRLF line ends, as a file from Windows would have them
    const out = await triageLines(texts.map((text) => JSON.stringify({ text })).join("\r\n"));
    expect(out).toHaveLength(texts.length);
    for (const a of out) expect(a).toMatchObject({ intent: "other", urgent: false });
  });

  test("a line that is not JSON, or has no string text, gets a clear error naming its line; the others are still answered", async () => {
    const stdin = ['{"text": "shop ơi còn hàng không"}', "{text: oops", "", '{"id": 7, "text": 42}', "[1,2]", '{"text": "cảm ơn shop"}'].join("\n");
    const out = await triageLines(stdin);
    expect(out).toHaveLength(5);
    expect(INTENTS).toContain(out[0].intent);
    expect(out[1].error).toEqual({ code: "invalid_line", message: "line 2: not JSON" });
    expect(out[2]).toEqual({ id: 7, error: { code: "invalid_line", message: 'line 4: "text" must be a string' } });
    expect(out[3].error.message).toBe('line 5: expected an object like {"text": "..."}');
    expect(out[4].intent).toBe("other");
  });

  test("--help explains the format; an unknown argument is refused", async () => {
    const help = await runPano(["triage", "--help"], { PANO_DATA_DIR: tempDir() });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('{"text": "..."}');
    expect(help.stdout).toContain("pano triage retrain");
    const bad = await runPano(["triage", "score"], { PANO_DATA_DIR: tempDir() });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('unexpected argument "score"');
  });
});

describe("pano triage retrain", () => {
  let pano: PanoProcess;
  // a customer chasing an earlier order in words the shipped model reads as small talk
  const chasing = "ê shop, vụ hôm bữa sao rồi";
  let shippedSaid: string;

  beforeAll(async () => {
    pano = await startPano();
    const channel = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Zalo OA" } })).id;
    const id = await customerSays(pano, channel, "kh-hoi-don", chasing);
    shippedSaid = await eventually(async () => (await pano.json(`/api/v1/conversations/${id}`)).intent, 10_000, "the conversation to be triaged");
    // the agent says what it really is, as the inbox's one-click tag does
    await pano.json(`/api/v1/conversations/${id}`, { method: "PATCH", json: { intent: "support_request", urgent: false } });
    await pano.stop();
  }, 60_000);
  afterAll(async () => {
    await pano.stop();
  });

  const retrain = async () => {
    const r = await runPano(["triage", "retrain"], { PANO_DATA_DIR: pano.dataDir });
    expect(r.code).toBe(0);
    const log = r.stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l)).find((l) => String(l.msg).startsWith("triage retrain:"));
    expect(log).toBeDefined();
    return { stdout: r.stdout, log };
  };
  const fairlyScored = (s: { macro_f1: number; urgent_recall: number; held_out: number }) => {
    expect(s.held_out).toBeGreaterThanOrEqual(400);
    expect(s.macro_f1).toBeGreaterThan(0);
    expect(s.macro_f1).toBeLessThanOrEqual(1);
    expect(s.urgent_recall).toBeGreaterThan(0);
  };

  test("an agent's correction changes the next retrain: both models are scored and logged, and the new one, not worse, is kept in the data dir", async () => {
    const { stdout, log } = await retrain();
    expect(stdout).toContain("current model (shipped) on the held-out split:");
    expect(stdout).toContain("retrained on the corpus + 1 corrections:");
    expect(stdout.match(/intent macro-F1/g)).toHaveLength(2);
    expect(log.corrections).toBe(1);
    fairlyScored(log.before);
    fairlyScored(log.after);
    const notWorse = log.after.macro_f1 >= log.before.macro_f1 - 0.005 && log.after.urgent_recall >= log.before.urgent_recall - 0.005;
    expect(log.accepted).toBe(notWorse);
    expect(log.accepted).toBe(true);
    expect(log.msg).toBe("triage retrain: new model kept");
    // On PostgreSQL the instances share it through the database instead (docs/scale-out-state.md).
    expect(existsSync(join(pano.dataDir, MODEL_FILE))).toBe(!ON_POSTGRES);
    // `pano triage` on that data dir now answers with it: the correction changed the model
    const line = JSON.stringify({ text: chasing }) + "\n";
    const [before] = await triageLines(line, ["--shipped"], pano.dataDir);
    expect(before.intent).toBe(shippedSaid);
    expect(shippedSaid).not.toBe("support_request");
    const [after] = await triageLines(line, [], pano.dataDir);
    expect(after.intent).toBe("support_request");
  }, 60_000);

  /** The retrained model Pano keeps: in the data dir, or on PostgreSQL in the database. */
  const keptModel = () => {
    if (!ON_POSTGRES) return readFileSync(join(pano.dataDir, MODEL_FILE), "utf8");
    const db = openDatabaseOf(pano.dataDir);
    try {
      return db.query<{ model: string }, []>("SELECT model FROM pano_triage_model WHERE id = 1").get()?.model;
    } finally {
      db.close();
    }
  };

  test("corrections that teach it wrong make a worse model: it is refused, the kept model stays, and both scores are logged", async () => {
    const kept = keptModel();
    const db = openDatabaseOf(pano.dataDir, { write: true });
    const insert = db.prepare("INSERT INTO triage_corrections (conversation_id, text, intent, urgent, user_id, created_at) VALUES (NULL, ?, ?, ?, NULL, ?)");
    // every intent swapped for the next one and every urgency flipped
    for (const line of trainingCorpus().filter((l) => !l.variant).slice(0, 300))
      insert.run(line.text, INTENTS[(INTENTS.indexOf(line.intent) + 1) % INTENTS.length], line.urgent ? 0 : 1, Date.now());
    db.close();

    const { stdout, log } = await retrain();
    expect(stdout).toContain(`current model (retrained, from the ${ON_POSTGRES ? "database" : "data dir"}) on the held-out split:`);
    expect(log.corrections).toBe(301);
    expect(log.accepted).toBe(false);
    expect(log.msg).toBe("triage retrain: new model is worse, current model kept");
    expect(log.after.macro_f1).toBeLessThan(log.before.macro_f1);
    fairlyScored(log.before);
    expect(keptModel()).toBe(kept);
  }, 60_000);
});
