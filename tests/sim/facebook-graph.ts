// The Graph API side of the simulator: Send API, profiles, /me, attachment files. Answers with
// Meta's real shapes and error codes, enforces the messaging window from the timestamps of the
// messages it delivered, and produces failures on demand. node:http so a dropped connection is real.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createHmac, randomBytes } from "node:crypto";
import { newMid } from "./facebook-events.ts";

export type FailureMode = "window" | "token" | "unavailable" | "rate_limit" | "invalid" | "server_error" | "slow" | "drop";

export interface GraphRequest { method: string; path: string; query: Record<string, string>; body: any; at: number }

export interface GraphState {
  pageId: string;
  pageName: string;
  appSecret: string;
  token: string;
  tokenValid: boolean;
  /** Newest customer message time per PSID: the window is counted from it, as Meta does. */
  lastInbound: Map<string, number>;
  profiles: Map<string, { first_name: string; last_name: string; profile_pic: string }>;
  files: Map<string, { bytes: Uint8Array; type: string }>;
  failures: FailureMode[];
  slowMs: number;
  requests: GraphRequest[];
  onSent(psid: string, mid: string, message: any): void;
}

const DAY = 24 * 3600_000;
const HUMAN_AGENT_TAGS = new Set(["HUMAN_AGENT", "CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE"]);

const fbtrace = () => randomBytes(8).toString("base64").replace(/[^A-Za-z0-9]/g, "x");
function graphError(res: ServerResponse, status: number, code: number, message: string, extra: Record<string, unknown> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8", "www-authenticate": code === 190 ? 'OAuth "Facebook Platform" "invalid_token"' : "" });
  res.end(JSON.stringify({ error: { message, type: code === 100 ? "GraphMethodException" : "OAuthException", code, ...extra, fbtrace_id: fbtrace() } }));
}
function json(res: ServerResponse, body: unknown) {
  res.writeHead(200, { "content-type": "application/json; charset=UTF-8" });
  res.end(JSON.stringify(body));
}

const ERRORS: Record<Exclude<FailureMode, "slow" | "drop" | "token">, [number, number, string, Record<string, unknown>]> = {
  window: [400, 10, "(#10) This message is sent outside of allowed window.", { error_subcode: 2018278 }],
  unavailable: [400, 551, "(#551) This person isn't available right now.", { error_subcode: 1545041 }],
  rate_limit: [400, 613, "(#613) Calls to this api have exceeded the rate limit.", {}],
  invalid: [400, 100, "(#100) Invalid parameter", {}],
  server_error: [500, 2, "An unexpected error has occurred. Please retry your request later.", { is_transient: true }],
};

function authOk(s: GraphState, q: Record<string, string>, res: ServerResponse): boolean {
  if (q.access_token !== s.token || !s.tokenValid) {
    graphError(res, 400, 190, "Error validating access token: Session has expired.", { error_subcode: 463 });
    return false;
  }
  if (q.appsecret_proof && q.appsecret_proof !== createHmac("sha256", s.appSecret).update(s.token).digest("hex")) {
    graphError(res, 400, 100, "Invalid appsecret_proof provided in the API argument", {});
    return false;
  }
  return true;
}

function send(s: GraphState, body: any, res: ServerResponse) {
  const psid = body?.recipient?.id;
  if (!psid) return graphError(res, 400, 100, "(#100) The parameter recipient is required");
  const type = body.messaging_type;
  if (!["RESPONSE", "UPDATE", "MESSAGE_TAG"].includes(type)) return graphError(res, 400, 100, "(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}");
  if (type === "MESSAGE_TAG" && !HUMAN_AGENT_TAGS.has(body.tag)) return graphError(res, 400, 100, "(#100) Param tag must be a valid message tag");
  const m = body.message;
  if (!m || (typeof m.text !== "string" && !m.attachment)) return graphError(res, 400, 100, "(#100) Must send either message or state");
  if (typeof m.text === "string" && Array.from(m.text).length > 2000) return graphError(res, 400, 100, "(#100) Length of param message[text] must be less than or equal to 2000");
  const last = s.lastInbound.get(psid);
  if (last === undefined) return graphError(res, 400, 100, "(#100) No matching user found", { error_subcode: 2018001 });
  const age = Date.now() - last;
  const allowed = type === "MESSAGE_TAG" && body.tag === "HUMAN_AGENT" ? 7 * DAY : DAY;
  if (age > allowed) return graphError(res, 400, 10, "(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview", { error_subcode: 2018278 });
  const mid = newMid();
  json(res, { recipient_id: psid, message_id: mid });
  s.onSent(psid, mid, m);
}

export function startGraph(s: GraphState, port = 0): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? "/", "http://sim");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: any = raw;
    try { body = raw ? JSON.parse(raw) : null; } catch { /* recorded as text */ }
    const query = Object.fromEntries(u.searchParams);
    s.requests.push({ method: req.method ?? "GET", path: u.pathname, query, body, at: Date.now() });

    const file = u.pathname.match(/^\/files\/([^/]+)$/);
    if (file) {
      const f = s.files.get(decodeURIComponent(file[1]));
      if (!f) { res.writeHead(404); return res.end(); }
      res.writeHead(200, { "content-type": f.type, "content-length": String(f.bytes.byteLength) });
      return res.end(f.bytes);
    }
    const m = u.pathname.match(/^\/(v\d+\.\d+)\/([^/]+)(?:\/(messages))?$/);
    if (!m) return graphError(res, 400, 2500, "Unknown path components: " + u.pathname, {});
    const isSend = req.method === "POST" && m[3] === "messages";
    // Failures on demand apply to the Send API only, one per call, in the order they were asked.
    const failure = isSend ? s.failures.shift() : undefined;
    if (failure === "drop") return req.socket.destroy();
    if (failure === "slow") await Bun.sleep(s.slowMs); // the scenario: Graph answering late
    if (failure === "token") s.tokenValid = false;
    if (!authOk(s, query, res)) return;
    if (failure && failure !== "slow") return graphError(res, ...(ERRORS[failure as keyof typeof ERRORS] ?? ERRORS.invalid) as [number, number, string, Record<string, unknown>]);
    if (isSend) {
      if (m[2] !== s.pageId && m[2] !== "me") return graphError(res, 400, 100, `(#100) Unsupported post request. Object with ID '${m[2]}' does not exist`, { error_subcode: 33 });
      return send(s, body, res);
    }
    if (req.method !== "GET") return graphError(res, 400, 100, "Unsupported request", {});
    if (m[2] === "me" || m[2] === s.pageId) return json(res, { id: s.pageId, name: s.pageName });
    const p = s.profiles.get(m[2]);
    // Meta answers a profile only for someone who has messaged the Page.
    if (!p || !s.lastInbound.has(m[2])) return graphError(res, 400, 100, `(#100) Unsupported get request. Object with ID '${m[2]}' does not exist`, { error_subcode: 33 });
    const fields = (query.fields ?? "first_name,last_name,profile_pic").split(",");
    return json(res, { ...Object.fromEntries(fields.filter((f) => f in p).map((f) => [f, p[f as keyof typeof p]])), id: m[2] });
  });
  return new Promise((resolve) => {
    server.listen(port, "127.0.0.1", () => {
      const addr = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${addr.port}`, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }) });
    });
  });
}
