// SMS Gateway for Android, as its public docs describe it (docs.sms-gate.app, checked with search):
// - Basic auth on every API call (the credentials the app shows); 401 otherwise.
// - POST /message {"id"?, "textMessage":{"text"} | "message", "phoneNumbers":[E.164], "withDeliveryReport"?}
//   -> 202 {"id","deviceId","state":"Pending","isHashed":false,"isEncrypted":false,
//          "recipients":[{"phoneNumber","state":"Pending","error":null}],"states":{"Pending":<iso>}}.
//   A number that is not E.164 is 400. The docs do not say what a repeated id gets; this simulator
//   answers 409 and keeps the first (one SMS), which is what Pano relies on to make retries safe.
// - GET /webhooks -> [{"id","url","event"}]; POST /webhooks {"id"?,"url","event"} registers one event
//   (an existing id is replaced) -> 201; HTTPS URLs only, plus HTTP for localhost (the docs: "accepts
//   HTTPS URLs, plus HTTP URLs for localhost or insecure builds"); DELETE /webhooks/:id -> 204.
// - Webhooks: POST {"deviceId","event","id","payload":{...},"webhookId"} with X-Signature = hex
//   HMAC-SHA256(signing key, raw body + X-Timestamp) and X-Timestamp = unix seconds. sms:received's
//   payload is {messageId, message, phoneNumber, simNumber, receivedAt}; messageId comes from the
//   text and is NOT unique. A delivery answered other than 2xx is retried with the same body.
import { createHash, createHmac, randomBytes } from "node:crypto";

export interface GatewayWebhook { id: string; url: string; event: string }
export interface GatewayMessage { id: string; text: string; phoneNumbers: string[]; withDeliveryReport: boolean }
export interface Delivery { url: string; status: number; body: string }

type Mode = "ok" | "down" | "unauthorized" | "refuse_webhooks" | "error" | "fail_recipient";

export function smsGateway(opts: { username: string; password: string; signingKey: string }) {
  const webhooks = new Map<string, GatewayWebhook>();
  const messages: GatewayMessage[] = [];
  const ids = new Set<string>();
  const deliveries: Delivery[] = [];
  const requests: { method: string; path: string }[] = [];
  let mode: Mode = "ok";
  const deviceId = "ffffffffceb0b1db0000018e937c815b";
  const now = () => new Date().toISOString();

  const serve = (port: number) => Bun.serve({
    port,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      requests.push({ method: req.method, path: url.pathname });
      const want = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString("base64")}`;
      if (mode === "unauthorized" || req.headers.get("authorization") !== want) return Response.json({ message: "Unauthorized" }, { status: 401 });
      if (mode === "error") return Response.json({ message: "internal error" }, { status: 500 });
      if (url.pathname === "/webhooks" && req.method === "GET") return Response.json([...webhooks.values()]);
      if (url.pathname === "/webhooks" && req.method === "POST") {
        const b = (await req.json().catch(() => null)) as Partial<GatewayWebhook> | null;
        if (!b?.url || !b.event) return Response.json({ message: "url and event are required" }, { status: 400 });
        if (!["sms:received", "sms:sent", "sms:delivered", "sms:failed", "system:ping"].includes(b.event)) return Response.json({ message: `unknown event ${b.event}` }, { status: 400 });
        const target = URL.canParse(b.url) ? new URL(b.url) : null;
        const localHttp = target?.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(target.hostname);
        if (mode === "refuse_webhooks" || !target || (target.protocol !== "https:" && !localHttp)) {
          return Response.json({ message: "webhook URL must be HTTPS" }, { status: 400 });
        }
        const hook = { id: b.id || randomBytes(10).toString("base64url"), url: b.url, event: b.event };
        webhooks.set(hook.id, hook);
        return Response.json(hook, { status: 201 });
      }
      const del = /^\/webhooks\/([^/]+)$/.exec(url.pathname);
      if (del && req.method === "DELETE") {
        webhooks.delete(decodeURIComponent(del[1]));
        return new Response(null, { status: 204 });
      }
      if ((url.pathname === "/message" || url.pathname === "/messages") && req.method === "POST") {
        const b = (await req.json().catch(() => null)) as any;
        const text = b?.textMessage?.text ?? b?.message;
        const phones: string[] = Array.isArray(b?.phoneNumbers) ? b.phoneNumbers : [];
        if (typeof text !== "string" || !text || !phones.length) return Response.json({ message: "textMessage.text and phoneNumbers are required" }, { status: 400 });
        const bad = phones.find((p) => !/^\+[1-9]\d{7,14}$/.test(p));
        if (bad) return Response.json({ message: `invalid phone number ${bad}: must be E.164` }, { status: 400 });
        const id = typeof b.id === "string" && b.id ? b.id : randomBytes(10).toString("base64url");
        if (ids.has(id)) return Response.json({ message: `message ${id} already exists` }, { status: 409 });
        ids.add(id);
        messages.push({ id, text, phoneNumbers: phones, withDeliveryReport: b.withDeliveryReport !== false });
        const state = mode === "fail_recipient" ? "Failed" : "Pending";
        return Response.json({
          id, deviceId, state, isHashed: false, isEncrypted: false,
          recipients: phones.map((phoneNumber) => ({ phoneNumber, state, error: state === "Failed" ? "RESULT_ERROR_NO_SERVICE" : null })),
          states: { [state]: now() },
        }, { status: 202 });
      }
      return Response.json({ message: "not found" }, { status: 404 });
    },
  });
  let server: ReturnType<typeof serve> | null = serve(0);
  const port = server.port ?? 0;

  /** The body the phone posts for one event, and its signed headers at `at` (unix seconds). */
  const build = (event: string, payload: Record<string, unknown>, webhookId: string) =>
    JSON.stringify({ deviceId, event, id: randomBytes(10).toString("base64url"), payload, webhookId });
  const sign = (body: string, at: number, key = opts.signingKey) => ({
    "content-type": "application/json",
    "x-timestamp": String(at),
    "x-signature": createHmac("sha256", key).update(body + String(at)).digest("hex"),
  });

  async function post(url: string, body: string, headers: Record<string, string>): Promise<Delivery> {
    const res = await fetch(url, { method: "POST", headers, body });
    const d = { url, status: res.status, body: await res.text() };
    deliveries.push(d);
    return d;
  }

  /** The phone fires `event` to every webhook registered for it; resolves with what each answered. */
  async function fire(event: string, payload: Record<string, unknown>): Promise<{ body: string; answers: Delivery[] }> {
    const hooks = [...webhooks.values()].filter((w) => w.event === event);
    let body = "";
    const answers: Delivery[] = [];
    for (const w of hooks) {
      body = build(event, payload, w.id);
      answers.push(await post(w.url, body, sign(body, Math.floor(Date.now() / 1000))));
    }
    return { body, answers };
  }

  return {
    url: `http://127.0.0.1:${port}`,
    webhooks,
    messages,
    deliveries,
    requests,
    set(m: Mode) {
      mode = m;
      if (m === "down" && server) void server.stop(true), (server = null);
      if (m !== "down" && !server) server = serve(port);
    },
    /** A customer texts the phone. `messageId` is the gateway's content hash: the same text gets the same id. */
    receive(phoneNumber: string, message: string, receivedAt = new Date()) {
      const messageId = createHash("md5").update(message).digest("hex").slice(0, 16);
      return fire("sms:received", { messageId, message, phoneNumber, simNumber: 1, receivedAt: receivedAt.toISOString() });
    },
    sent: (messageId: string, phoneNumber: string) => fire("sms:sent", { messageId, phoneNumber, simNumber: null, sentAt: now() }),
    delivered: (messageId: string, phoneNumber: string) => fire("sms:delivered", { messageId, phoneNumber, simNumber: null, deliveredAt: now() }),
    failed: (messageId: string, phoneNumber: string, reason: string) => fire("sms:failed", { messageId, phoneNumber, simNumber: null, failedAt: now(), reason }),
    /** The phone's retry: the very same body again, signed afresh. */
    redeliver: (url: string, body: string) => post(url, body, sign(body, Math.floor(Date.now() / 1000))),
    /** A delivery signed at another time or with another key (a replay, a forgery). */
    postSigned: (url: string, body: string, at: number, key?: string) => post(url, body, sign(body, at, key)),
    build,
    /** POST /message as any client would (a benchmark's bare sender). */
    messageRaw: (authorization: string, body: unknown) =>
      fetch(`http://127.0.0.1:${port}/message`, { method: "POST", headers: { authorization, "content-type": "application/json" }, body: JSON.stringify(body) }),
    stop: () => server?.stop(true),
  };
}
