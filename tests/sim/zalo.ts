// A local Zalo for tests, benchmarks and demos: the OA Open API v3 and OAuth v4 that Pano calls
// (zalo-api.ts, zalo-tokens.ts) and the webhook sender that calls Pano (zalo-events.ts).
//
// Contract: /work/shared/docs/channels.md (Zalo). Confirmed against Zalo's docs and integrators:
// - X-ZEvent-Signature: mac = sha256(app_id + raw body + timestamp + OA secret key), plain hash;
//   the OA Secret Key is not the app secret. Webhooks must answer 200 within ~2 s or Zalo retries.
// - OAuth v4: consent at {oauth}/v4/oa/permission?app_id&redirect_uri&code_challenge&state, back
//   to redirect_uri?code&oa_id&state; tokens at POST {oauth}/v4/oa/access_token (header
//   secret_key, form grant); refresh tokens are single use; a spent one answers -14014.
// - The (check) items of channels.md: text up to 2,000 characters and images (JPG/PNG) up to
//   1 MB are confirmed; the 5 MB file limit and the exact redelivery schedule (30 s, 5 min, ...)
//   are not (integrators say Zalo keeps retrying for up to 12 hours). The simulator uses them as
//   channels.md states.
//
// Library: `const sim = await startZaloSim({ pano })`; sim.url is both PANO_ZALO_API_URL and
// PANO_ZALO_OAUTH_URL. Standalone: `bun tests/sim/zalo.ts --help`.
import { parseArgs } from "node:util";
import { startApi, type ApiState, type SimUser } from "./zalo-api.ts";
import { ZaloTokens } from "./zalo-tokens.ts";
import * as ev from "./zalo-events.ts";
import type { ZaloWebhookEvent, UserMessage } from "./zalo-events.ts";

export { attachments, newMsgId, newUserId, zeventMac } from "./zalo-events.ts";
export { ERROR_MESSAGES } from "./zalo-api.ts";

export interface ZaloSimOptions {
  pano?: string;
  port?: number;
  oaId?: string;
  appId?: string;
  appSecret?: string;
  oaSecretKey?: string;
  /** Report Pano's sends back as oa_send_* events, as Zalo does (default true). */
  echoes?: boolean;
  /** Redeliver unacknowledged webhooks after these delays (Zalo: ~30 s, 5 min, ...). */
  redeliverAfterMs?: number[];
}

export interface Delivery { event: ZaloWebhookEvent; raw: string; headers: Record<string, string>; status: number; answer: string; ms: number }

const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

export async function startZaloSim(o: ZaloSimOptions = {}) {
  const oaId = o.oaId ?? "2912301092193102833";
  const appId = o.appId ?? "1517776481860111222";
  const oaSecretKey = o.oaSecretKey ?? "sim-oa-secret-key-KHONG-PHAI-app-secret";
  const ctx = { appId, oaId };
  let pano = o.pano?.replace(/\/+$/, "");
  const deliveries: Delivery[] = [];
  const tokens = new ZaloTokens(appId, o.appSecret ?? "sim-app-secret");
  const state: ApiState = {
    oaId, oaName: "Shop Hoa Mai", tokens, users: new Map(), uploads: new Map(), failures: [], sent: [], requests: [],
    files: new Map([["ao-dai.jpg", { bytes: PNG, type: "image/png" }], ["bao-gia.pdf", { bytes: PDF, type: "application/pdf" }]]),
    onSent: (m) => {
      if (o.echoes === false || !pano) return;
      const att = m.message.attachment;
      const echo = att
        ? { attachments: [{ type: att.type === "file" ? "file" : "image", payload: { url: `${api.url}/files/ao-dai.jpg` } }] }
        : { text: m.message.text };
      void deliver(ev.oaSends(ctx, m.user_id, echo, m.message_id)).catch(() => {});
    },
  };

  async function post(event: ZaloWebhookEvent, raw: string, headers: Record<string, string>, attempt = 0): Promise<Delivery> {
    if (!pano) throw new Error("the simulator has no Pano URL to deliver to");
    const t = performance.now();
    let status = 0;
    let answer = "";
    try {
      const res = await fetch(`${pano}/webhooks/zalo`, { method: "POST", headers: { "user-agent": "ZaloWebhook/1.0", ...headers }, body: raw });
      status = res.status;
      answer = await res.text();
    } catch (err) {
      answer = String((err as Error)?.message ?? err);
    }
    const d = { event, raw, headers, status, answer, ms: performance.now() - t };
    deliveries.push(d);
    const delay = o.redeliverAfterMs?.[attempt];
    if (status !== 200 && delay !== undefined) setTimeout(() => void post(event, raw, headers, attempt + 1), delay);
    return d;
  }

  /** One signed delivery; the user's last interaction moves, so the 7-day window opens. */
  function deliver(event: ZaloWebhookEvent, opts: { signature?: "valid" | "wrong" | "missing" } = {}): Promise<Delivery> {
    const user = (event.sender as { id?: string } | undefined)?.id ?? (event.follower as { id?: string } | undefined)?.id;
    const u = user ? state.users.get(user) : undefined;
    if (u && !event.event_name.startsWith("oa_")) u.lastInteraction = Number(event.timestamp);
    const raw = JSON.stringify(event);
    const sig = opts.signature ?? "valid";
    const headers = sig === "missing" ? { "content-type": "application/json" } : ev.signedHeaders(event, raw, sig === "wrong" ? `${oaSecretKey}x` : oaSecretKey);
    return post(event, raw, headers);
  }

  async function control(req: Request, url: URL): Promise<Response | null> {
    const body = req.method === "POST" ? await req.json().catch(() => ({})) : {};
    switch (url.pathname) {
      case "/_sim/fail": for (let i = 0; i < Number(body.times ?? 1); i++) state.failures.push(Number(body.error)); return Response.json({ queued: state.failures });
      case "/_sim/expire-tokens": tokens.expireAll(); return Response.json({ ok: true });
      case "/_sim/requests": return Response.json(state.requests);
      case "/_sim/sent": return Response.json(state.sent);
      case "/_sim/user-says": return Response.json(await sim.userSays(String(body.user_id), String(body.text)));
      default: return null;
    }
  }

  const api = startApi(state, o.port ?? 0, control);

  const sim = {
    /** PANO_ZALO_API_URL and PANO_ZALO_OAUTH_URL */
    url: api.url,
    oaId, appId, appSecret: tokens.appSecret, oaSecretKey, tokens,
    requests: state.requests, sent: state.sent, uploads: state.uploads, deliveries,
    setPano(url: string) { pano = url.replace(/\/+$/, ""); },
    /** A Pano channel config for this OA, with a freshly issued token pair. */
    channelConfig(opts: { expiresInMs?: number } = {}) {
      const pair = tokens.issue(opts.expiresInMs);
      return {
        oa_id: oaId, app_id: appId, app_secret: tokens.appSecret, oa_secret_key: oaSecretKey,
        access_token: pair.access_token, refresh_token: pair.refresh_token, token_expires_at: new Date(pair.expires_at).toISOString(),
      };
    },
    /** A Zalo user who follows the OA (unless told otherwise) and has just interacted. */
    addUser(userId = ev.newUserId(), u: Partial<SimUser> = {}): string {
      state.users.set(userId, { display_name: "Nguyễn Thị Lan", avatar: `${api.url}/files/ao-dai.jpg`, follower: true, lastInteraction: Date.now(), ...u });
      return userId;
    },
    user: (userId: string) => state.users.get(userId),
    fileUrl: (name: string) => `${api.url}/files/${encodeURIComponent(name)}`,
    addFile(name: string, bytes: Uint8Array, type: string) { state.files.set(name, { bytes, type }); return sim.fileUrl(name); },
    /** The next message/cs calls answer these Zalo errors (-230, -213, -32, -216...), one per call. */
    failNext(error: number, times = 1) { for (let i = 0; i < times; i++) state.failures.push(error); },
    /** message/cs calls that Zalo accepted or refused, oldest first. */
    sendCalls: () => state.requests.filter((r) => r.path === "/v3.0/oa/message/cs"),

    deliver,
    /** The same bytes and headers again, as Zalo does when it saw no 200. */
    redeliver: (d: Delivery) => post(d.event, d.raw, d.headers),
    userSays: (userId: string, text: string) => deliver(ev.userSends(ctx, "text", userId, { text })),
    userSends: (kind: string, userId: string, m: UserMessage) => deliver(ev.userSends(ctx, kind, userId, m)),
    follow: (userId: string) => { const u = state.users.get(userId); if (u) u.follower = true; return deliver(ev.followEvent(ctx, userId, true)); },
    unfollow: (userId: string) => { const u = state.users.get(userId); if (u) u.follower = false; return deliver(ev.followEvent(ctx, userId, false)); },
    receipts: (userId: string, msgIds: string[], seen: boolean) => deliver(ev.receipt(ctx, userId, msgIds, seen)),
    /** Someone answers from Zalo's own OA chat tools: Pano learns it from the oa_send_* event. */
    oaSendsElsewhere: (userId: string, text: string, msgId?: string) => deliver(ev.oaSends(ctx, userId, { text }, msgId)),
    otherEvent: (userId: string, name: string, extra?: Record<string, unknown>) => deliver(ev.otherEvent(ctx, userId, name, extra)),
    /** Builders for raw events (benchmarks sign and post them themselves). */
    events: { userText: (userId: string, text: string, msgId?: string) => ev.userSends(ctx, "text", userId, { text, msgId }) },
    signedHeaders: (event: ZaloWebhookEvent, raw: string) => ev.signedHeaders(event, raw, oaSecretKey),
    /** Serves another Zalo API on this port (ZNS: zalo-zns.ts attachZns). */
    addRoutes: (route: NonNullable<ApiState["extraRoutes"]>[number]) => void (state.extraRoutes ??= []).push(route),
    async stop() { await api.close(); },
  };
  return sim;
}

export type ZaloSim = Awaited<ReturnType<typeof startZaloSim>>;

const USAGE = `Usage: bun tests/sim/zalo.ts [options]

A local Zalo (OA Open API v3, OAuth v4, signed webhooks) to demo Pano without a real OA.
Start Pano with PANO_ZALO_API_URL and PANO_ZALO_OAUTH_URL set to the URL this prints, add
a zalo channel with the config it prints (or "Connect with Zalo"), and watch messages arrive.

Options:
  --pano URL          Pano's base URL (default http://localhost:3000)
  --port N            API/OAuth port (default 4020; 0 picks a free one)
  --oa-id ID          OA id (default 2912301092193102833)
  --send-every D      a customer message every D (500ms, 2s, ...; default 3s; 0 = never)
  --customers N       how many followers write (default 5)
  --count N           stop after N messages (default: run until Ctrl-C)
  --no-echoes         do not report Pano's sends back as oa_send_* events
  -h, --help          this help

Control API (curl): POST /_sim/fail {"error":-230,"times":1}, POST /_sim/expire-tokens,
POST /_sim/user-says {"user_id","text"}, GET /_sim/requests, GET /_sim/sent.`;

const NAMES = ["Nguyễn Thị Lan", "Trần Văn Minh", "Lê Thu Hương", "Phạm Quốc Dũng", "Vũ Phương Thảo", "Đỗ Đức Quang"];
const LINES = ["Shop ơi, áo dài size M còn màu đỏ không ạ?", "Đơn hàng của em giao chưa shop?", "Cho em xin bảng giá sỉ nhé", "Em muốn đổi size được không ạ?", "Shop có ship COD ra Huế không?"];

async function main() {
  const { values: v } = parseArgs({
    options: {
      pano: { type: "string", default: "http://localhost:3000" }, port: { type: "string", default: "4020" }, "oa-id": { type: "string" },
      "send-every": { type: "string", default: "3s" }, customers: { type: "string", default: "5" }, count: { type: "string" },
      "no-echoes": { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false },
    },
  });
  if (v.help) return void console.log(USAGE);
  const sim = await startZaloSim({ pano: v.pano, port: Number(v.port), oaId: v["oa-id"], echoes: !v["no-echoes"], redeliverAfterMs: [30_000, 300_000, 900_000] });
  console.log(`Zalo simulator at ${sim.url}\n  start Pano with PANO_ZALO_API_URL=${sim.url} PANO_ZALO_OAUTH_URL=${sim.url}\n  zalo channel config: ${JSON.stringify(sim.channelConfig())}`);
  const users = Array.from({ length: Math.max(1, Number(v.customers)) }, (_, i) => sim.addUser(undefined, { display_name: NAMES[i % NAMES.length] }));
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(v["send-every"]!.trim());
  const every = m ? Number(m[1]) * (m[2] === "ms" ? 1 : 1000) : 3000;
  const limit = v.count ? Number(v.count) : Infinity;
  let n = 0;
  if (every > 0) setInterval(async () => {
    const d = await sim.userSays(users[n % users.length], LINES[n % LINES.length]);
    n++;
    console.log(`  #${n} ${d.event.event_name}: HTTP ${d.status} in ${d.ms.toFixed(1)} ms`);
    if (n >= limit) { await sim.stop(); process.exit(0); }
  }, every);
  let seen = 0;
  setInterval(() => { for (; seen < sim.sent.length; seen++) console.log(`  Pano sent to ${sim.sent[seen].user_id}: ${JSON.stringify(sim.sent[seen].message)}`); }, 1000);
}

if (import.meta.main) await main();
