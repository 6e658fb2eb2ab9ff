// A local Facebook for tests, benchmarks and demos: the Graph API Pano calls (facebook-graph.ts)
// and the Messenger webhook sender that calls Pano, following Meta's contract byte for byte.
//
// Checked against Meta's docs (developers.facebook.com, Messenger Platform, Nov 2026):
// - Deliveries carry X-Hub-Signature-256 = sha256 HMAC of the raw body keyed with the app secret
//   (and the legacy X-Hub-Signature sha1); batches are {"object":"page","entry":[{id,time,messaging}]}.
// - message_echoes: sender is the Page, recipient the PSID, message {is_echo, app_id, metadata, mid}:
//   the Send API's `metadata` string comes back on the echo.
// - message_reactions: reaction {reaction, emoji, action: react|unreact, mid}.
// - Error codes: 190 invalid token; 10/2018278 outside the allowed window; 551 person unavailable;
//   4/32/613 rate limits; 100 invalid parameter; 2 transient. The simulator answers 100 to text
//   over 2,000 characters as channels.md says; that limit itself was not found in Meta's pages.
// - HUMAN_AGENT: a person's reply up to 7 days after the customer's last message; needs approval.
//
// Library: `const sim = await startFacebookSim({...}); sim.url` is PANO_FACEBOOK_GRAPH_URL.
// Standalone: `bun tests/sim/facebook.ts --help`.
import { parseArgs } from "node:util";
import { startGraph, type FailureMode, type GraphRequest, type GraphState } from "./facebook-graph.ts";
import { batchBody, signatureHeaders, customerMessage, echoMessage, delivery, read, newMid, type Entry, type FbEvent, type MessageOptions } from "./facebook-events.ts";

export * from "./facebook-events.ts";
export type { FailureMode, GraphRequest };

export interface SimOptions {
  appSecret: string;
  pageId: string;
  pageToken: string;
  appId?: string;
  pageName?: string;
  /** Pano's base URL; webhooks go to `${pano}/webhooks/facebook`. */
  pano?: string;
  port?: number;
  /** Echo every successful send back to Pano, as Meta does when message_echoes is subscribed. */
  echoes?: boolean;
}

export interface Delivery { raw: string; headers: Record<string, string>; status: number; ms: number; answer: string }

const PNG = Uint8Array.from(atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="), (c) => c.charCodeAt(0));

export async function startFacebookSim(o: SimOptions) {
  const appId = o.appId ?? "1517776481860111";
  let pano = o.pano?.replace(/\/+$/, "");
  const deliveries: Delivery[] = [];
  const state: GraphState = {
    pageId: o.pageId, pageName: o.pageName ?? "Shop Hoa Mai", appSecret: o.appSecret, token: o.pageToken, tokenValid: true,
    lastInbound: new Map(), profiles: new Map(), files: new Map([["ao-dai.png", { bytes: PNG, type: "image/png" }]]),
    failures: [], slowMs: 25_000, requests: [],
    onSent: (psid, mid, message) => {
      if (o.echoes === false || !pano) return;
      const attachments = message.attachment ? [{ type: message.attachment.type, url: message.attachment.payload?.url }] : undefined;
      void post([{ pageId: o.pageId, events: [echoMessage(o.pageId, psid, message.text ?? null, { mid, appId, metadata: message.metadata, attachments })] }]).catch(() => {});
    },
  };
  const graph = await startGraph(state, o.port ?? 0);

  async function postRaw(raw: string, headers: Record<string, string>): Promise<Delivery> {
    if (!pano) throw new Error("the simulator has no Pano URL to deliver to");
    const all = { "content-type": "application/json", "user-agent": "facebookexternalua", ...headers };
    const t = performance.now();
    const res = await fetch(`${pano}/webhooks/facebook`, { method: "POST", headers: all, body: raw });
    const d = { raw, headers: all, status: res.status, ms: performance.now() - t, answer: await res.text() };
    deliveries.push(d);
    return d;
  }

  type Signing = { signature?: "valid" | "wrong" | "missing"; secret?: string };
  /** The bytes and headers of one delivery, signed as Meta signs; the customers now count as having written. */
  function prepare(entries: Entry[], opts: Signing = {}): { raw: string; headers: Record<string, string> } {
    for (const e of entries) for (const ev of e.events) {
      const m = ev.message as { is_echo?: boolean } | undefined;
      if (ev.sender.id !== e.pageId && !m?.is_echo) state.lastInbound.set(ev.sender.id, Math.max(state.lastInbound.get(ev.sender.id) ?? 0, ev.timestamp));
    }
    const raw = batchBody(entries);
    const sig = opts.signature ?? "valid";
    const headers = sig === "missing" ? {} : signatureHeaders(raw, sig === "wrong" ? `${opts.secret ?? o.appSecret}-wrong` : opts.secret ?? o.appSecret);
    return { raw, headers: { "content-type": "application/json", "user-agent": "facebookexternalua", ...headers } };
  }

  function post(entries: Entry[], opts: Signing = {}): Promise<Delivery> {
    const { raw, headers } = prepare(entries, opts);
    return postRaw(raw, headers);
  }

  return {
    /** PANO_FACEBOOK_GRAPH_URL */
    url: graph.url,
    appId,
    pageId: o.pageId,
    /** Every Graph request received, oldest first. */
    requests: state.requests,
    /** Every webhook delivery made, with Pano's answer. */
    deliveries,
    /** Successful-or-not Send API calls, oldest first. */
    sendCalls: () => state.requests.filter((r) => r.method === "POST" && r.path.endsWith("/messages")),
    setPano(url: string) { pano = url.replace(/\/+$/, ""); },
    /** The next Send API calls fail this way, one failure per call. */
    failNext(mode: FailureMode, times = 1) { for (let i = 0; i < times; i++) state.failures.push(mode); },
    setSlowMs(ms: number) { state.slowMs = ms; },
    /** A new Page token (after an admin reconnects); the old one answers 190. */
    renewToken(token: string) { state.token = token; state.tokenValid = true; },
    addProfile(psid: string, first: string, last: string, pic = `${graph.url}/files/ao-dai.png`) { state.profiles.set(psid, { first_name: first, last_name: last, profile_pic: pic }); },
    addFile(name: string, bytes: Uint8Array, type: string): string { state.files.set(name, { bytes, type }); return `${graph.url}/files/${encodeURIComponent(name)}`; },
    fileUrl: (name: string) => `${graph.url}/files/${encodeURIComponent(name)}`,

    /** One signed delivery of any entries/events. */
    deliver: post,
    /** A delivery signed now and sent later by the caller (the benchmark's load generator). */
    prepare,
    /** The same bytes again, as Meta does when it did not get a 200 in time. */
    redeliver: (d: Delivery) => postRaw(d.raw, d.headers),
    /** A customer writes to the Page. */
    async customerSays(psid: string, text: string | null, opts: MessageOptions = {}) {
      const ev = customerMessage(o.pageId, psid, text, opts);
      return { event: ev, mid: (ev.message as { mid: string }).mid, delivery: await post([{ pageId: o.pageId, events: [ev] }]) };
    },
    /** Someone answers from Meta Business Suite: Pano only learns it from the echo. */
    pageSendsElsewhere(psid: string, text: string, otherAppId = "263902037430900") {
      return post([{ pageId: o.pageId, events: [echoMessage(o.pageId, psid, text, { appId: otherAppId })] }]);
    },
    /** The customer's Messenger received, then read, these messages. */
    receipts(psid: string, mids: string[], opts: { read?: boolean } = {}) {
      const events: FbEvent[] = [delivery(o.pageId, psid, mids)];
      if (opts.read) events.push(read(o.pageId, psid, Date.now() + 1));
      return post([{ pageId: o.pageId, events }]);
    },
    newMid,
    async stop() { await graph.close(); },
  };
}

export type FacebookSim = Awaited<ReturnType<typeof startFacebookSim>>;

const USAGE = `Usage: bun tests/sim/facebook.ts [options]

A local Facebook (Graph API + Messenger webhooks) to demo Pano without a real Page.
Start Pano with PANO_FACEBOOK_GRAPH_URL set to the URL this prints, connect a Facebook
channel with the same page id, token, app secret and verify token, and watch messages arrive.

Options:
  --pano URL           Pano's base URL (default http://localhost:3000)
  --app-secret S       app secret that signs deliveries (default demo-app-secret)
  --page-id ID         Page id (default 100000000000001)
  --page-token T       Page access token Pano must use (default demo-page-token-0001)
  --verify-token T     run Meta's GET handshake against Pano with this token first
  --port N             Graph API port (default 4010; 0 picks a free one)
  --send-every D       a customer message every D (e.g. 500ms, 2s; default 2s; 0 = never)
  --customers N        how many different customers write (default 5)
  --count N            stop after N messages (default: run until Ctrl-C)
  --no-echoes          do not echo Pano's sends back
  -h, --help           this help`;

function duration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(s.trim());
  if (!m) throw new Error(`not a duration: ${s}`);
  return Number(m[1]) * (m[2] === "m" ? 60_000 : m[2] === "ms" ? 1 : 1000);
}

const NAMES = [["Lan", "Nguyễn"], ["Minh", "Trần"], ["Hương", "Lê"], ["Dũng", "Phạm"], ["Thảo", "Vũ"], ["Quang", "Đỗ"], ["Mai", "Hoàng"], ["Tuấn", "Bùi"]];
const LINES = ["Shop ơi, áo dài size M còn màu đỏ không ạ?", "Đơn hàng của mình giao chưa shop?", "Cho mình xin giá sỉ nhé", "Mình muốn đổi size được không ạ?", "Cảm ơn shop, hàng đẹp lắm!", "Shop có ship COD ra Đà Nẵng không?"];

async function main() {
  const { values: v } = parseArgs({
    options: {
      pano: { type: "string", default: "http://localhost:3000" }, "app-secret": { type: "string", default: "demo-app-secret" },
      "page-id": { type: "string", default: "100000000000001" }, "page-token": { type: "string", default: "demo-page-token-0001" },
      "verify-token": { type: "string" }, port: { type: "string", default: "4010" }, "send-every": { type: "string", default: "2s" },
      customers: { type: "string", default: "5" }, count: { type: "string" }, "no-echoes": { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false },
    },
  });
  if (v.help) return void console.log(USAGE);
  const sim = await startFacebookSim({ appSecret: v["app-secret"]!, pageId: v["page-id"]!, pageToken: v["page-token"]!, pano: v.pano, port: Number(v.port), echoes: !v["no-echoes"] });
  console.log(`Facebook simulator: Graph API at ${sim.url}\n  start Pano with PANO_FACEBOOK_GRAPH_URL=${sim.url}\n  connect a facebook channel: page_id=${sim.pageId} page_access_token=${v["page-token"]} app_secret=${v["app-secret"]}`);
  if (v["verify-token"]) {
    const challenge = String(Date.now());
    const r = await fetch(`${v.pano}/webhooks/facebook?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(v["verify-token"])}&hub.challenge=${challenge}`);
    console.log(`  webhook handshake: HTTP ${r.status} ${(await r.text()) === challenge ? "(challenge echoed: verified)" : "(not verified)"}`);
  }
  const customers = Array.from({ length: Math.max(1, Number(v.customers)) }, (_, i) => {
    const psid = String(24000000000000000n + BigInt(i + 1));
    const [first, last] = NAMES[i % NAMES.length];
    sim.addProfile(psid, first, last);
    return psid;
  });
  const every = duration(v["send-every"]!);
  const limit = v.count ? Number(v.count) : Infinity;
  let n = 0;
  const tick = async () => {
    const psid = customers[n % customers.length];
    const withImage = n % 7 === 6;
    const d = await sim.customerSays(psid, withImage ? null : LINES[n % LINES.length], withImage ? { attachments: [{ type: "image", url: sim.fileUrl("ao-dai.png") }] } : {}).catch((e) => ({ delivery: { status: 0, ms: 0, answer: String(e) } }));
    n++;
    console.log(`  #${n} from ${psid}: HTTP ${d.delivery.status} in ${d.delivery.ms.toFixed(1)} ms`);
    if (n >= limit) { await sim.stop(); process.exit(0); }
  };
  if (every > 0) setInterval(tick, every);
  setInterval(() => {
    const sends = sim.sendCalls().slice(-1)[0];
    if (sends && Date.now() - sends.at < 1000) console.log(`  Pano sent: ${JSON.stringify(sends.body)}`);
  }, 1000);
}

if (import.meta.main) await main();
