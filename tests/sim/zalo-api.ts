// The Zalo servers Pano calls: OA Open API (openapi.zalo.me) and OAuth v4 (oauth.zaloapp.com),
// served on one local port. Like Zalo, every API answer is HTTP 200 and `error` says how it went.
import { randomBytes } from "node:crypto";
import type { ZaloTokens } from "./zalo-tokens.ts";

export interface SimRequest { at: number; method: string; path: string; headers: Record<string, string>; query: Record<string, string>; body: unknown }
export interface SimUser { display_name: string; avatar: string; follower: boolean; lastInteraction: number; phone?: string }
export interface SentMessage { at: number; user_id: string; message: Record<string, any>; message_id: string; access_token: string }
export interface Upload { kind: "image" | "file"; name: string; type: string; size: number }

export interface ApiState {
  oaId: string;
  oaName: string;
  tokens: ZaloTokens;
  users: Map<string, SimUser>;
  files: Map<string, { bytes: Uint8Array; type: string }>;
  uploads: Map<string, Upload>;
  /** Error codes the next message/cs calls answer, one per call. */
  failures: number[];
  sent: SentMessage[];
  requests: SimRequest[];
  onSent?(m: SentMessage): void;
  /** Other Zalo APIs served on the same port (ZNS: zalo-zns.ts); `refused` is the token check's error, 0 when valid. */
  extraRoutes?: ((req: Request, url: URL, token: string, refused: number) => Promise<Response | null>)[];
}

/** Zalo's own wording for the errors the simulator produces. */
export const ERROR_MESSAGES: Record<number, string> = {
  [-32]: "Exceed rate limit of the app",
  [-201]: "Parameters are invalid",
  [-211]: "Out of quota",
  [-213]: "User has not followed OA",
  [-216]: "Access token is invalid",
  [-220]: "Access token is expired or removed",
  [-227]: "User has been banned or inactive for more than 45 days",
  [-230]: "User has not interacted with the OA in the past 7 days",
};

const SEVEN_DAYS = 7 * 24 * 3600_000;
const IMAGE_MAX = 1024 * 1024;
const FILE_MAX = 5 * 1024 * 1024;

const zalo = (error: number, data?: unknown) =>
  Response.json(error === 0 ? { data, error: 0, message: "Success" } : { error, message: ERROR_MESSAGES[error] ?? "Unknown error" });

async function record(state: ApiState, req: Request, url: URL): Promise<SimRequest> {
  const type = req.headers.get("content-type") ?? "";
  let body: unknown = null;
  if (req.method === "POST") {
    if (type.includes("json")) body = await req.clone().json().catch(() => null);
    else if (type.includes("x-www-form-urlencoded")) body = Object.fromEntries(new URLSearchParams(await req.clone().text()));
    else if (type.includes("multipart")) body = "(multipart)";
  }
  const r = { at: Date.now(), method: req.method, path: url.pathname, headers: Object.fromEntries(req.headers), query: Object.fromEntries(url.searchParams), body };
  state.requests.push(r);
  return r;
}

function sendMessage(state: ApiState, token: string, body: any): Response {
  const userId = String(body?.recipient?.user_id ?? "");
  const message = body?.message;
  if (!userId || !message || typeof message !== "object") return zalo(-201);
  const forced = state.failures.shift();
  if (forced !== undefined) return zalo(forced);
  const user = state.users.get(userId);
  if (!user) return zalo(-201);
  if (!user.follower) return zalo(-213);
  if (Date.now() - user.lastInteraction > SEVEN_DAYS) return zalo(-230);
  if (typeof message.text === "string" && message.text.length > 2000) return zalo(-201);
  const att = message.attachment;
  if (att) {
    const id = att.type === "file" ? att.payload?.token : att.payload?.elements?.[0]?.attachment_id;
    if (id !== undefined && !state.uploads.has(String(id))) return zalo(-201);
  } else if (typeof message.text !== "string" || !message.text) return zalo(-201);
  const sent = { at: Date.now(), user_id: userId, message, message_id: randomBytes(16).toString("hex"), access_token: token };
  state.sent.push(sent);
  queueMicrotask(() => state.onSent?.(sent));
  return zalo(0, { message_id: sent.message_id, user_id: userId });
}

async function upload(state: ApiState, req: Request, kind: "image" | "file"): Promise<Response> {
  const form = await req.formData().catch(() => null);
  const file = form?.get("file");
  if (!file || typeof file === "string") return zalo(-201);
  const name = file.name || "upload";
  const okType = kind === "image" ? /^image\/(jpe?g|png)$/.test(file.type) : /\.(pdf|docx?)$/i.test(name);
  if (!okType || file.size > (kind === "image" ? IMAGE_MAX : FILE_MAX)) return zalo(-201);
  const id = randomBytes(20).toString("base64url");
  state.uploads.set(id, { kind, name, type: file.type, size: file.size });
  return zalo(0, kind === "image" ? { attachment_id: id } : { token: id });
}

function userDetail(state: ApiState, url: URL): Response {
  let q: { user_id?: string } = {};
  try {
    q = JSON.parse(url.searchParams.get("data") ?? "{}");
  } catch {
    return zalo(-201);
  }
  const id = String(q.user_id ?? "");
  const u = state.users.get(id);
  if (!u) return zalo(-201);
  return zalo(0, {
    user_id: id, user_id_by_app: `${id.slice(0, 6)}app`, display_name: u.display_name, avatar: u.avatar,
    avatars: { "120": u.avatar, "240": u.avatar }, user_is_follower: u.follower,
    ...(u.phone ? { shared_info: { name: u.display_name, phone: u.phone, address: "" } } : {}),
  });
}

/** The OAuth v4 consent page: the simulated admin approves at once and Zalo redirects back. */
function permissionPage(state: ApiState, url: URL): Response {
  const p = url.searchParams;
  const redirect = p.get("redirect_uri");
  if (p.get("app_id") !== state.tokens.appId || !redirect) return new Response("Ứng dụng không hợp lệ (invalid app_id or redirect_uri)", { status: 400 });
  const code = state.tokens.issueCode(p.get("code_challenge"), redirect);
  const back = new URL(redirect);
  back.searchParams.set("code", code);
  back.searchParams.set("oa_id", state.oaId);
  if (p.get("state")) back.searchParams.set("state", p.get("state")!);
  if (p.get("code_challenge")) back.searchParams.set("code_challenge", p.get("code_challenge")!);
  return Response.redirect(back.toString(), 302);
}

export function startApi(state: ApiState, port: number, control: (req: Request, url: URL) => Promise<Response | null>) {
  const server = Bun.serve({
    port,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      if (url.pathname.startsWith("/_sim/")) return (await control(req, url)) ?? new Response("not found", { status: 404 });
      if (url.pathname.startsWith("/files/")) {
        const f = state.files.get(decodeURIComponent(url.pathname.slice(7)));
        return f ? new Response(f.bytes as Uint8Array<ArrayBuffer>, { headers: { "content-type": f.type } }) : new Response("not found", { status: 404 });
      }
      await record(state, req, url);
      if (url.pathname === "/v4/oa/permission") return permissionPage(state, url);
      if (url.pathname === "/v4/oa/access_token" && req.method === "POST") {
        const form = new URLSearchParams(await req.text());
        return Response.json(await state.tokens.exchange(req.headers.get("secret_key"), form));
      }
      const token = req.headers.get("access_token") ?? "";
      const refused = state.tokens.check(token);
      for (const route of state.extraRoutes ?? []) {
        const answer = await route(req, url, token, refused ?? 0);
        if (answer) return answer;
      }
      if (refused) return zalo(refused);
      const route = `${req.method} ${url.pathname}`;
      if (route === "POST /v3.0/oa/message/cs") return sendMessage(state, token, await req.json().catch(() => null));
      if (route === "POST /v2.0/oa/upload/image") return upload(state, req, "image");
      if (route === "POST /v2.0/oa/upload/file") return upload(state, req, "file");
      if (route === "GET /v3.0/oa/user/detail") return userDetail(state, url);
      if (route === "GET /v2.0/oa/getoa") return zalo(0, { oa_id: state.oaId, name: state.oaName, description: "", avatar: "", is_verified: true });
      return Response.json({ error: -201, message: `Unknown API ${route}` });
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, close: () => server.stop(true) };
}
