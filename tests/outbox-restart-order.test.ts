// A story of order across a restart: a reply waiting for its retry when Pano restarts still goes
// before the customer's next reply; the new process finds the hold in the outbox rows.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eventually } from "./support/pano.ts";
import { startZaloWorld, type ZaloWorld } from "./sim/zalo-pano.ts";

let w: ZaloWorld;
// A first retry 7.5 to 12.5 s after a refusal: time enough to restart Pano before it is due.
beforeAll(async () => void (w = await startZaloWorld({ sim: { echoes: false }, env: { PANO_RETRY_BASE_MS: "10000" } })));
afterAll(async () => await w?.stop());

test("Pano restarts while a reply waits for its retry: after the restart the customer's next reply still waits for it", async () => {
  const user = w.sim.addUser(undefined, { display_name: "Phạm Gia Huy" });
  await w.sim.userSays(user, "Shop ơi áo em đặt bao giờ giao ạ?");
  const conv = await w.conversationOf(user);
  w.sim.failNext(-32, 1);
  const first = await w.pano.json(`/api/v1/conversations/${conv.id}/messages`, { method: "POST", json: { text: "Dạ em kiểm tra ngay ạ" } });
  await eventually(async () => (await w.messagesOf(conv.id)).find((m: any) => m.id === first.id)?.error, 10_000, "the first reply refused and waiting for its retry");
  await w.restartPano();
  await w.pano.json(`/api/v1/conversations/${conv.id}/messages`, { method: "POST", json: { text: "Áo của anh giao ngày mai" } });
  const texts = () => w.sim.sent.filter((s) => s.user_id === user).map((s) => s.message.text);
  await eventually(() => texts().length === 2, 30_000, "both replies on Zalo");
  expect(texts()).toEqual(["Dạ em kiểm tra ngay ạ", "Áo của anh giao ngày mai"]);
});
