// "Connect with Zalo": an admin sends the browser to Zalo's OAuth v4 consent page (PKCE), Zalo
// sends it back to PANO_PUBLIC_URL/zalo/oauth/callback with a code, and Pano exchanges the code
// for the OA's token pair, stored encrypted with the channel. Pasting tokens by hand through the
// channel API stays the fallback. The core mounts these routes (kind.routes): the pages at
// /zalo/oauth, the API's POST /api/v1/channels/:id/zalo/connect under /api/v1/channels.
import { Hono, type Context } from "hono";
import { createHash, randomBytes } from "node:crypto";
import type { ChannelHttp } from "../channel.ts";
import { PanoError } from "../../domain/errors.ts";
import { tokenCall, tokenPatch, refusal, TokenUnavailable } from "./token.ts";
import type { ZaloConfig } from "./config.ts";
import { zaloTexts } from "./texts.ts";
import { speaker } from "../texts.ts";

const PAGES_PATH = "/zalo/oauth";
export const CALLBACK_PATH = `${PAGES_PATH}/callback`;
/** Where the settings page's "Connect with Zalo" button leads. */
export const startPath = (channelId: number) => `${PAGES_PATH}/start/${channelId}`;

type Lang = "vi" | "en";
type Key = keyof typeof zaloTexts.vi.messages;
const say = speaker(zaloTexts);

const FLOW_TTL_MS = 10 * 60_000;
interface Flow { channelId: number; verifier: string; lang: Lang; expiresAt: number }
/** Flows in progress, by their `state`: single use, ten minutes, lost on restart (start again). */
const flows = new Map<string, Flow>();

function zaloChannel(http: ChannelHttp, id: number) {
  const ch = http.channel(id);
  if (!ch || ch.type !== "zalo") return null;
  return ch as typeof ch & { config: ZaloConfig };
}

/** The consent page URL for one channel, with a fresh PKCE verifier kept under `state`. */
function authorizeUrl(http: ChannelHttp, channelId: number, lang: Lang): { url: string; expiresAt: number } | null {
  const ch = zaloChannel(http, channelId);
  if (!ch) return null;
  const now = Date.now();
  for (const [k, f] of flows) if (f.expiresAt < now) flows.delete(k);
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(24).toString("base64url");
  const expiresAt = now + FLOW_TTL_MS;
  flows.set(state, { channelId, verifier, lang, expiresAt });
  const url = new URL(`${http.runtime.urls.zaloOauth}/v4/oa/permission`);
  url.searchParams.set("app_id", ch.config.app_id);
  url.searchParams.set("redirect_uri", `${http.publicUrl}${CALLBACK_PATH}`);
  url.searchParams.set("code_challenge", createHash("sha256").update(verifier).digest("base64url"));
  url.searchParams.set("state", state);
  return { url: url.toString(), expiresAt };
}

type Outcome = { ok: true; key: Key; vars: Record<string, string>; lang: Lang; channelId: number } | { ok: false; status: 400 | 502; key: Key; vars: Record<string, string>; lang: Lang; channelId?: number };

async function finish(http: ChannelHttp, q: URLSearchParams): Promise<Outcome> {
  const state = q.get("state") ?? "";
  const flow = flows.get(state);
  flows.delete(state);
  if (!flow || flow.expiresAt < Date.now()) return { ok: false, status: 400, key: "oauth.expired", vars: {}, lang: flow?.lang ?? "vi" };
  const { lang, channelId } = flow;
  const code = q.get("code");
  if (!code) return { ok: false, status: 400, key: "oauth.denied", vars: { reason: q.get("error_description") ?? q.get("error") ?? "no code" }, lang, channelId };
  const ch = zaloChannel(http, channelId);
  if (!ch) return { ok: false, status: 400, key: "oauth.expired", vars: {}, lang };
  const cfg = ch.config;
  // The admin may be signed in to Zalo as the admin of another OA: never store its tokens here.
  const granted = q.get("oa_id");
  if (granted && granted !== cfg.oa_id) return { ok: false, status: 400, key: "oauth.wrong_oa", vars: { got: granted, want: cfg.oa_id }, lang, channelId };
  let patch: Record<string, unknown> | null;
  try {
    const answer = await tokenCall(http.runtime, cfg, { grant_type: "authorization_code", code, code_verifier: flow.verifier });
    patch = tokenPatch(answer, new Date());
    if (!patch) return { ok: false, status: 502, key: "oauth.failed", vars: { reason: refusal(answer) }, lang, channelId };
  } catch (err) {
    if (!(err instanceof TokenUnavailable)) throw err;
    return { ok: false, status: 502, key: "oauth.failed", vars: { reason: err.message }, lang, channelId };
  }
  await http.saveChannel(channelId, { config: patch, status: "active", statusDetail: null });
  await http.restartChannel(channelId);
  http.log("info", "zalo OA connected through OAuth", { channel_id: channelId, oa_id: cfg.oa_id, expires_at: patch.token_expires_at });
  return { ok: true, key: "oauth.connected", vars: { name: ch.name }, lang, channelId };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(c: Context, o: Outcome): Response {
  const t = say.in(o.lang);
  const back = o.channelId ? `/settings/channels/${o.channelId}` : "/settings/channels";
  // data-outcome keeps the catalogue's full key (zalo.oauth.expired), as before the texts moved here.
  const html = `<!doctype html><html lang="${o.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(t("oauth.title"))}</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style></head>
<body><main><h1>${escape(t("oauth.title"))}</h1><p role="${o.ok ? "status" : "alert"}" data-outcome="${o.ok ? "connected" : `zalo.${o.key}`}">${escape(t(o.key, o.vars))}</p><p><a href="${back}">${escape(t("oauth.back"))}</a></p></main></body></html>`;
  return c.html(html, o.ok ? 200 : o.status);
}

/** The browser's side: start (a signed-in admin) and the callback Zalo redirects to. */
export function oauthPages(http: ChannelHttp): Hono {
  const web = new Hono();
  web.get("/start/:id", http.signedIn("admin"), (c) => {
    const started = authorizeUrl(http, Number(c.req.param("id")), http.language(c));
    if (!started) throw new PanoError("not_found", "Zalo channel not found");
    return c.redirect(started.url, 302);
  });
  // Zalo redirects the admin's browser here; the single-use state is what binds it to the flow.
  web.get("/callback", async (c) => page(c, await finish(http, new URL(c.req.url).searchParams)));
  return web;
}

/** POST /api/v1/channels/:id/zalo/connect: the consent URL for an integration to open. */
export function oauthApi(http: ChannelHttp): Hono {
  const api = new Hono();
  api.post("/:id/zalo/connect", http.requireRole("admin"), (c) => {
    const started = authorizeUrl(http, Number(c.req.param("id")), http.language(c));
    if (!started) throw new PanoError("not_found", "Zalo channel not found");
    return c.json({ authorize_url: started.url, callback_url: `${http.publicUrl}${CALLBACK_PATH}`, expires_at: new Date(started.expiresAt).toISOString() });
  });
  return api;
}
