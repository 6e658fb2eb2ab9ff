// Stories of an integrator's endpoint that is down now and then: Pano retries a failed delivery with
// backoff, keeps one conversation's events in order meanwhile, gives up once the retry window is
// over (a day in production; shortened here), shows the endpoint as failing, and loses nothing
// when it is restarted with deliveries still waiting.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, eventually, tempDir, type PanoProcess } from "./support/pano.ts";
import { startWebhookReceiver } from "./support/webhook-receiver.ts";

const SECRET = "bi-mat-cua-he-thong-kho";
// Retries 100 ms apart and doubling; a delivery is given up 4 s after its event.
const FAST_RETRY = { PANO_WEBHOOK_RETRY_BASE_MS: "100", PANO_WEBHOOK_RETRY_WINDOW_MS: "4000" };
let pano: PanoProcess;
let channel: string;
beforeAll(async () => {
  pano = await startPano({ env: FAST_RETRY });
  channel = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Kho" } })).id;
});
afterAll(async () => {
  await pano?.stop();
});

const inbound = (p: PanoProcess, ch: string, contact: string, text: string) =>
  p.json(`/api/v1/channels/${ch}/inbound`, { method: "POST", json: { external_contact_id: contact, external_message_id: `m-${Math.random()}`, text } });
const deliveries = (p: PanoProcess, webhookId: string) => p.json(`/api/v1/webhooks/${webhookId}/deliveries?limit=100`).then((r) => r.data as any[]);

test("a delivery answered 500 is sent again and succeeds; the conversation's next event waits for it", async () => {
  let refused = false;
  const rx = startWebhookReceiver({
    secret: SECRET,
    // The first message's first attempt finds the endpoint down.
    answer: (d) => (d.body.data.text === "Tin thứ nhất" && !refused ? ((refused = true), new Response("database down", { status: 500 })) : new Response("ok")),
  });
  try {
    const w = await pano.json("/api/v1/webhooks", { method: "POST", json: { url: rx.url, events: ["message.created"], secret: SECRET } });
    const first = await inbound(pano, channel, "kh-thu-tu", "Tin thứ nhất");
    const second = await inbound(pano, channel, "kh-thu-tu", "Tin thứ hai");
    await rx.waitFor((d) => d.body.data.id === second.message_id, "the second message");
    const tries = rx.deliveries.filter((d) => d.body.data.id === first.message_id);
    expect(tries).toHaveLength(2);
    // The same delivery both times: one id, the same signed bytes.
    expect(tries[0].id).toBe(tries[1].id);
    expect(tries[0].raw).toBe(tries[1].raw);
    // The second message was not told before the first got through.
    const order = rx.deliveries.map((d) => d.body.data.text);
    expect(order).toEqual(["Tin thứ nhất", "Tin thứ nhất", "Tin thứ hai"]);
    const listed = await eventually(async () => {
      const list = await deliveries(pano, w.id);
      return list.find((d) => d.id === tries[0].id && d.status === "delivered");
    }, 10_000, "the retried delivery listed as delivered");
    expect(listed).toMatchObject({ attempts: 2, response_status: 200, response_body: "ok", error: null });
    expect((await pano.json(`/api/v1/webhooks/${w.id}`)).status).toBe("active");
    await pano.api(`/api/v1/webhooks/${w.id}`, { method: "DELETE" });
  } finally {
    rx.stop();
  }
});

test("an endpoint that keeps answering 500 is shown as failing, each delivery is given up when its window ends, and an admin can send one again", async () => {
  let up = false;
  const rx = startWebhookReceiver({ secret: SECRET, answer: () => (up ? new Response("ok") : new Response("<h1>502 Bad Gateway</h1>", { status: 500 })) });
  try {
    const w = await pano.json("/api/v1/webhooks", { method: "POST", json: { url: rx.url, events: ["message.created"], secret: SECRET } });
    const msg = await inbound(pano, channel, "kh-bo-cuoc", "Tin không tới được");
    const failing = await eventually(async () => {
      const x = await pano.json(`/api/v1/webhooks/${w.id}`);
      return x.status === "failing" && x;
    }, 10_000, "the webhook shown as failing");
    expect(failing.last_error).toBe("HTTP 500");
    expect(failing.active).toBe(true); // shown as failing, not switched off behind the admin's back
    // Monitoring sees it too.
    expect(await (await fetch(`${pano.url}/metrics`)).text()).toContain(`pano_webhook_failing{webhook_id="${w.id}"} 1`);
    const failed = await eventually(async () => (await deliveries(pano, w.id)).find((d) => d.status === "failed"), 15_000, "the delivery given up");
    expect(failed.payload.data.id).toBe(msg.message_id);
    expect(failed).toMatchObject({ response_status: 500, response_body: "<h1>502 Bad Gateway</h1>", next_attempt_at: null });
    expect(failed.attempts).toBeGreaterThanOrEqual(4);
    expect(Date.parse(failed.last_attempt_at) - Date.parse(failed.created_at)).toBeGreaterThanOrEqual(3900);
    const attemptsSeen = rx.deliveries.length;
    expect(attemptsSeen).toBe(failed.attempts);

    // The endpoint is fixed; the admin sends the failed delivery again.
    up = true;
    const again = await pano.api(`/api/v1/webhooks/${w.id}/deliveries/${failed.id}/redeliver`, { method: "POST" });
    expect(again.status).toBe(202);
    await rx.waitFor((d) => rx.deliveries.indexOf(d) >= attemptsSeen && d.id === failed.id, "the redelivery");
    const done = await eventually(async () => (await deliveries(pano, w.id)).find((d) => d.id === failed.id && d.status === "delivered"), 10_000, "delivered after redelivery");
    expect(done.attempts).toBe(failed.attempts + 1);
    expect((await pano.json(`/api/v1/webhooks/${w.id}`)).status).toBe("active");
    // A delivery that is delivered can be sent again too; one still pending cannot.
    expect((await pano.api(`/api/v1/webhooks/${w.id}/deliveries/${failed.id}/redeliver`, { method: "POST" })).status).toBe(202);
    expect((await pano.api(`/api/v1/webhooks/${w.id}/deliveries/no-such-delivery/redeliver`, { method: "POST" })).status).toBe(404);
    await pano.api(`/api/v1/webhooks/${w.id}`, { method: "DELETE" });
  } finally {
    rx.stop();
  }
});

test("an attempt on a receiver that never answers is cut after 10 seconds, while other conversations' events go through", async () => {
  let hang = true;
  const rx = startWebhookReceiver({
    secret: SECRET,
    answer: (d) => (d.body.data.text === "Tin bị treo" && hang ? ((hang = false), new Promise<Response>(() => {})) : new Response("ok")),
  });
  try {
    const w = await pano.json("/api/v1/webhooks", { method: "POST", json: { url: rx.url, events: ["message.created"], secret: SECRET } });
    const stuck = await inbound(pano, channel, "kh-treo", "Tin bị treo");
    await rx.waitFor((d) => d.body.data.id === stuck.message_id, "the attempt that hangs");
    const other = await inbound(pano, channel, "kh-khac", "Tin của khách khác");
    await rx.waitFor((d) => d.body.data.id === other.message_id, "another conversation's delivery, meanwhile", 5000);
    // This Pano's retry window (4 s) is over by the time the 10 s cap cuts the attempt: it is given up.
    const cut = await eventually(async () => (await deliveries(pano, w.id)).find((d) => d.payload.data.id === stuck.message_id && d.status !== "pending"), 30_000, "the hung attempt cut");
    expect(cut).toMatchObject({ status: "failed", attempts: 1, response_status: null, error: "took too long" });
    expect(cut.duration_ms).toBeGreaterThanOrEqual(9_900);
    await pano.api(`/api/v1/webhooks/${w.id}`, { method: "DELETE" });
  } finally {
    rx.stop();
  }
});

test("deliveries waiting when Pano is killed go out after it starts again, none lost and none duplicated under another id", async () => {
  let up = false;
  const rx = startWebhookReceiver({ secret: SECRET, answer: () => (up ? new Response("ok") : new Response("maintenance", { status: 503 })) });
  const dataDir = tempDir();
  let first: PanoProcess | null = await startPano({ dataDir, env: { PANO_WEBHOOK_RETRY_BASE_MS: "200" } });
  let second: PanoProcess | null = null;
  try {
    const w = await first.json("/api/v1/webhooks", { method: "POST", json: { url: rx.url, events: ["message.created"], secret: SECRET } });
    const ch = (await first.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Kho" } })).id;
    const sent: string[] = [];
    for (let i = 0; i < 5; i++) sent.push((await inbound(first, ch, `kh-${i}`, `Đơn ${i}`)).message_id);
    // Every one has been tried (and refused) at least once: they are queued, waiting for a retry.
    await eventually(() => sent.every((id) => rx.deliveries.some((d) => d.body.data.id === id)), 10_000, "a first attempt of each");
    await first.kill();
    first = null;
    const ids = new Set(rx.deliveries.map((d) => d.id));
    const before = rx.deliveries.length;
    up = true;
    second = await startPano({ dataDir, env: { PANO_WEBHOOK_RETRY_BASE_MS: "200" } });
    const list = await eventually(async () => {
      const l = await deliveries(second!, w.id);
      return l.length === 5 && l.every((d) => d.status === "delivered") && l;
    }, 15_000, "all five delivered");
    // The same deliveries as before the restart: the ids the receiver saw refused are the ones delivered.
    expect(new Set(list.map((d: any) => d.id))).toEqual(ids);
    const after = rx.deliveries.slice(before);
    expect(new Set(after.map((d) => d.body.data.id))).toEqual(new Set(sent));
    expect(after.every((d) => d.verified)).toBe(true);
  } finally {
    await first?.kill();
    await second?.stop();
    rx.stop();
  }
});
