// Every customer message is triaged after it is stored; when an agent corrects the intent or the
// urgency, the correction sticks (later messages never override it) and feeds the next retrain.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { customerSays } from "./support/agents.ts";

let pano: PanoProcess;
let channelId: string;

beforeAll(async () => {
  pano = await startPano();
  channelId = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Facebook page" } })).id;
});
afterAll(async () => {
  await pano.stop();
});

const triage = (text: string) => pano.json("/api/v1/triage", { method: "POST", json: { text } });
const triaged = (id: string) =>
  eventually(async () => {
    const c = await pano.json(`/api/v1/conversations/${id}`);
    return c.intent ? c : null;
  }, 10_000, `conversation ${id} to be triaged`);

test("a new message is tagged with the local model's intent and urgency, with no LLM configured", async () => {
  const text = "Đơn hàng của tôi 5 ngày rồi chưa nhận được, tôi đã chuyển khoản rồi, giải quyết gấp giúp tôi";
  const expected = await triage(text);
  const c = await triaged(await customerSays(pano, channelId, "kh-giao-cham", text));
  expect(c.intent).toBe(expected.intent);
  expect(c.urgent).toBe(expected.urgent);
  if (expected.urgent) expect(c.priority).toBe("urgent");
});

test("empty-looking, emoji-only, very long and binary-looking messages are triaged without error", async () => {
  const texts = ["😀😀👍", "?!...", "ok ".repeat(3400), "\u0001\u0002\uFFFD\u0007PK\u0003\u0004"];
  const ids: string[] = [];
  for (const [i, t] of texts.entries()) ids.push(await customerSays(pano, channelId, `kh-la-${i}`, t));
  const done = await Promise.all(ids.map(triaged));
  expect(done[0].intent).toBe("other");
  expect(done[1].intent).toBe("other");
  for (const c of done) expect(["support_request", "product_question", "complaint", "other"]).toContain(c.intent);
  expect(pano.logs()).not.toContain("triage write failed");
});

test("an agent's correction sticks through later messages and is used by the next retrain", async () => {
  const id = await customerSays(pano, channelId, "kh-sua", "shop ơi áo này còn màu đen size L không");
  await triaged(id);
  await pano.json(`/api/v1/conversations/${id}`, { method: "PATCH", json: { intent: "product_question", urgent: false } });

  // The customer then writes something the model calls an urgent complaint.
  const angry = "lừa đảo! tôi mất tiền rồi, không hoàn tiền ngay tôi báo công an";
  expect(await triage(angry)).toMatchObject({ urgent: true });
  await customerSays(pano, channelId, "kh-sua", angry);
  const other = await customerSays(pano, channelId, "kh-doi-chung", angry);
  await eventually(async () => (await pano.json(`/api/v1/conversations/${other}`)).urgent === true, 10_000, "the control conversation to be marked urgent");
  const corrected = await pano.json(`/api/v1/conversations/${id}`);
  expect(corrected).toMatchObject({ intent: "product_question", urgent: false });
  expect(corrected.priority).not.toBe("urgent");

  const retrain = await pano.json("/api/v1/triage/retrain", { method: "POST" });
  expect(retrain.corrections).toBe(1);
  expect(retrain.before.macro_f1).toBeGreaterThan(0);
  expect(retrain.after.macro_f1).toBeGreaterThan(0);
  expect(typeof retrain.accepted).toBe("boolean");
  expect(pano.logs()).toContain("triage retrain:");
}, 30_000);
