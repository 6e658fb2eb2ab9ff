// During a sale Meta batches many customers' messages into one signed delivery. One odd event in
// it (a field of the wrong type) must not cost the others: the good ones are stored, the odd one
// keeps what could be read, what could not is logged (cut short), and Meta hears 200 so it does
// not redeliver the batch until it gives up on all of it.
import { afterAll, expect, test } from "bun:test";
import { eventually } from "./support/pano.ts";
import { startFacebookStory, psidOf, type FacebookStory } from "./sim/facebook-pano.ts";
import { customerMessage, newMid, type FbEvent } from "./sim/facebook-events.ts";

let s: FacebookStory | undefined;
afterAll(async () => void (await s?.stop()));

test("a signed batch with malformed events stores the good messages, keeps what it can of the bad ones, logs them and answers 200", async () => {
  s = await startFacebookStory();
  const { pageId } = s.page;
  const [lan, minh, hung, tuan] = [psidOf(101), psidOf(102), psidOf(103), psidOf(104)];
  const badAttachments: FbEvent = { sender: { id: minh }, recipient: { id: pageId }, timestamp: Date.now(), message: { mid: newMid(), text: "x".repeat(5000), attachments: "không phải danh sách" } };
  const badText: FbEvent = { sender: { id: tuan }, recipient: { id: pageId }, timestamp: Date.now(), message: { mid: newMid(), text: { html: "<b>?</b>" } } };
  const d = await s.sim.deliver([{
    pageId,
    events: [customerMessage(pageId, lan, "Shop ơi váy đỏ còn size S không?"), badAttachments, badText, customerMessage(pageId, hung, "Cho mình xin giá sỉ ạ")],
  }]);
  expect(d.status).toBe(200);

  const lanConv = await s.conversationOf(lan);
  expect((await s.messages(lanConv.conversationId)).map((m) => m.text)).toEqual(["Shop ơi váy đỏ còn size S không?"]);
  const hungConv = await s.conversationOf(hung);
  expect((await s.messages(hungConv.conversationId)).map((m) => m.text)).toEqual(["Cho mình xin giá sỉ ạ"]);

  const bad = await eventually(() => {
    const lines = s!.pano.logs().split("\n").filter((l) => l.includes("webhook event partly unreadable"));
    return lines.length === 2 ? lines : null;
  }, 3000, "two log lines for the unreadable parts");
  for (const line of bad) expect(line.length).toBeLessThan(700);
  const minhConv = await s.conversationOf(minh);
  expect((await s.messages(minhConv.conversationId)).map((m) => [m.text, m.attachments.length])).toEqual([["x".repeat(5000), 0]]);
  const tuanConv = await s.conversationOf(tuan);
  expect((await s.messages(tuanConv.conversationId)).map((m) => m.text)).toEqual([""]);
});
