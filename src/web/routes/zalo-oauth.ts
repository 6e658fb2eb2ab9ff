// "Connect with Zalo": an admin sends the browser to Zalo's OAuth v4 consent page (PKCE), Zalo
// sends it back to PANO_PUBLIC_URL/zalo/oauth/callback with a code, and Pano exchanges the code
// for the OA's token pair, stored encrypted with the channel. Pasting tokens by hand through the
// channel API stays the fallback.
import { Hono, type Context } from "hono";
import { createHash, randomBytes } from "node:crypto";
import type { Pano } from "../../pano.ts";
import { sessionAuth, requireRole, type Env } from "../auth.ts";
import { PanoError } from "../../domain/errors.ts";
import { tokenCall, tokenPatch, refusal, TokenUnavailable } from "../../channels/zalo/token.ts";
import type { ZaloConfig } from "../../channels/zalo/config.ts";
import { translator, isLang, type Lang, type MessageKey } from "../../../views/i18n/index.ts";

export const CALLBACK_PATH = "/zalo/oauth/callback";
/** Where the settings page's "Connect with Zalo" button leads. */
export const startPath = (channelId: number) => `/zalo/oauth/start/${channelId}`;

const FLOW_TTL_MS = 10 * 60_000;
interface Flow { channelId: number; verifier: string; lang: Lang; expiresAt: number }
/** Flows in progress, by their `state`: single use, ten minutes, lost on restart (start again). */
const flows = new Map<string, Flow>();

function zaloChannel(pano: Pano, id: number) {
  const ch = pano.channels.get(id);
  if (!ch || ch.type !== "zalo") throw new PanoError("not_found", "Zalo channel not found");
  return ch as typeof ch & { config: ZaloConfig };
}

/** The consent page URL for one channel, with a fresh PKCE verifier kept under `state`. */
function authorizeUrl(pano: Pano, channelId: number, lang: Lang): { url: string; expiresAt: number } {
  const ch = zaloChannel(pano, channelId);
  const now = Date.now();
  for (const [k, f] of flows) if (f.expiresAt < now) flows.delete(k);
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(24).toString("base64url");
  const expiresAt = now + FLOW_TTL_MS;
  flows.set(state, { channelId, verifier, lang, expiresAt });
  const url = new URL(`${pano.runtime.urls.zaloOauth}/v4/oa/permission`);
  url.searchParams.set("app_id", ch.config.app_id);
  url.searchParams.set("redirect_uri", `${pano.config.publicUrl}${CALLBACK_PATH}`);
  url.searchParams.set("code_challenge", createHash("sha256").update(verifier).digest("base64url"));
  url.searchParams.set("state", state);
  return { url: url.toString(), expiresAt };
}

type Outcome = { ok: true; key: MessageKey; vars: Record<string, string>; lang: Lang; channelId: number } | { ok: false; status: 400 | 502; key: MessageKey; vars: Record<string, string>; lang: Lang; channelId?: number };

async function finish(pano: Pano, q: URLSearchParams): Promise<Outcome> {
  const state = q.get("state") ?? "";
  const flow = flows.get(state);
  flows.delete(state);
  if (!flow || flow.expiresAt < Date.now()) return { ok: false, status: 400, key: "zalo.oauth.expired", vars: {}, lang: flow?.lang ?? "vi" };
  const { lang, channelId } = flow;
  const code = q.get("code");
  if (!code) return { ok: false, status: 400, key: "zalo.oauth.denied", vars: { reason: q.get("error_description") ?? q.get("error") ?? "no code" }, lang, channelId };
  const ch = pano.channels.get(channelId);
  if (!ch || ch.type !== "zalo") return { ok: false, status: 400, key: "zalo.oauth.expired", vars: {}, lang };
  const cfg = ch.config as ZaloConfig;
  // The admin may be signed in to Zalo as the admin of another OA: never store its tokens here.
  const granted = q.get("oa_id");
  if (granted && granted !== cfg.oa_id) return { ok: false, status: 400, key: "zalo.oauth.wrong_oa", vars: { got: granted, want: cfg.oa_id }, lang, channelId };
  let patch: Record<string, unknown> | null;
  try {
    const answer = await tokenCall(pano.runtime, cfg, { grant_type: "authorization_code", code, code_verifier: flow.verifier });
    patch = tokenPatch(answer, new Date());
    if (!patch) return { ok: false, status: 502, key: "zalo.oauth.failed", vars: { reason: refusal(answer) }, lang, channelId };
  } catch (err) {
    if (!(err instanceof TokenUnavailable)) throw err;
    return { ok: false, status: 502, key: "zalo.oauth.failed", vars: { reason: err.message }, lang, channelId };
  }
  await pano.channels.update(channelId, { config: patch, status: "active", statusDetail: null });
  await pano.restartChannel(channelId);
  pano.log("info", "zalo OA connected through OAuth", { channel_id: channelId, oa_id: cfg.oa_id, expires_at: patch.token_expires_at });
  return { ok: true, key: "zalo.oauth.connected", vars: { name: ch.name }, lang, channelId };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(c: Context, o: Outcome): Response {
  const t = translator(o.lang);
  const back = o.channelId ? `/settings/channels/${o.channelId}` : "/settings/channels";
  const html = `<!doctype html><html lang="${o.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(t("zalo.oauth.title"))}</title><style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style></head>
<body><main><h1>${escape(t("zalo.oauth.title"))}</h1><p role="${o.ok ? "status" : "alert"}" data-outcome="${o.ok ? "connected" : o.key}">${escape(t(o.key, o.vars))}</p><p><a href="${back}">${escape(t("zalo.oauth.back"))}</a></p></main></body></html>`;
  return c.html(html, o.ok ? 200 : o.status);
}

/** Browser routes (session) and the API route; mounted from src/web/extensions.ts. */
export function mountZaloOauth(pano: Pano, app: Hono, api: Hono<Env>): void {
  const web = new Hono<Env>();
  web.get("/start/:id", sessionAuth(pano), requireRole("admin"), (c) => {
    const user = c.get("user");
    const { url } = authorizeUrl(pano, Number(c.req.param("id")), isLang(user.language) ? user.language : "vi");
    return c.redirect(url, 302);
  });
  // Zalo redirects the admin's browser here; the single-use state is what binds it to the flow.
  web.get("/callback", async (c) => page(c, await finish(pano, new URL(c.req.url).searchParams)));
  app.route("/zalo/oauth", web);

  api.post("/channels/:id/zalo/connect", requireRole("admin"), (c) => {
    const user = c.get("user");
    const { url, expiresAt } = authorizeUrl(pano, Number(c.req.param("id")), isLang(user.language) ? user.language : "vi");
    return c.json({ authorize_url: url, callback_url: `${pano.config.publicUrl}${CALLBACK_PATH}`, expires_at: new Date(expiresAt).toISOString() });
  });
}
