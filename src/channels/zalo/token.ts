// OAuth v4 access tokens. A refresh token is single use: spending it twice kills the connection.
// So every refresh of a channel goes through one in-flight promise (single flight), and the new
// pair is committed (runtime.updateConfig resolves after COMMIT) before the new token is used.
// Across Pano instances (PostgreSQL) the refresh runs under the channel's lock (rt.exclusive) and
// looks at the stored pair again inside it.
import type { ChannelRuntime } from "../channel.ts";
import { expiresAtMs, REFRESH_MARGIN_MS, type ZaloConfig } from "./config.ts";

export class ReconnectNeeded extends Error {
  constructor(public en: string, public vi: string) {
    super(en);
  }
}
export class TokenUnavailable extends Error {}

interface TokenAnswer {
  access_token?: string;
  refresh_token?: string;
  expires_in?: string | number;
  error?: number;
  error_name?: string;
  error_reason?: string;
  error_description?: string;
}

/** POST {oauth}/v4/oa/access_token: the one token endpoint, for refresh and for code exchange. */
export async function tokenCall(rt: ChannelRuntime, cfg: Pick<ZaloConfig, "app_id" | "app_secret">, form: Record<string, string>): Promise<TokenAnswer> {
  let res: Response;
  try {
    res = await rt.http(`${rt.urls.zaloOauth}/v4/oa/access_token`, {
      method: "POST",
      headers: { secret_key: cfg.app_secret, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ app_id: cfg.app_id, ...form }).toString(),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new TokenUnavailable(`Zalo OAuth unreachable: ${String((err as Error)?.message ?? err)}`);
  }
  if (res.status >= 500 || res.status === 429) throw new TokenUnavailable(`Zalo OAuth answered HTTP ${res.status}`);
  return (await res.json().catch(() => ({ error: -1, error_description: `HTTP ${res.status}, not JSON` }))) as TokenAnswer;
}

/** The config patch for a fresh token pair, or null when Zalo refused. */
export function tokenPatch(a: TokenAnswer, now: Date): Record<string, unknown> | null {
  if (!a.access_token || !a.refresh_token || (a.error !== undefined && Number(a.error) !== 0)) return null;
  const seconds = Number(a.expires_in);
  return {
    access_token: a.access_token,
    refresh_token: a.refresh_token,
    token_expires_at: Number.isFinite(seconds) && seconds > 0 ? new Date(now.getTime() + seconds * 1000).toISOString() : null,
  };
}

export function refusal(a: TokenAnswer): string {
  return [a.error, a.error_name, a.error_reason, a.error_description].filter((x) => x !== undefined && x !== "").join(" ") || "no token in the answer";
}

const inFlight = new Map<number, Promise<string>>();

async function refresh(channelId: number, rt: ChannelRuntime): Promise<string> {
  const ch = rt.current(channelId);
  if (!ch) throw new TokenUnavailable("channel removed");
  const cfg = ch.config as ZaloConfig;
  if (!cfg.refresh_token) return dead(channelId, rt, "no refresh token is configured");
  const answer = await tokenCall(rt, cfg, { grant_type: "refresh_token", refresh_token: cfg.refresh_token });
  const patch = tokenPatch(answer, rt.now());
  if (!patch) return dead(channelId, rt, refusal(answer));
  // The old refresh token is spent now: the new pair must be durable before anything uses it.
  await rt.updateConfig(channelId, patch);
  rt.log("info", "zalo access token refreshed", { channel_id: channelId, expires_at: patch.token_expires_at });
  return patch.access_token as string;
}

async function dead(channelId: number, rt: ChannelRuntime, why: string): Promise<never> {
  const en = `Zalo refused to refresh the access token (${why}): reconnect the OA with "Connect with Zalo" or paste new tokens`;
  const vi = `Zalo từ chối làm mới mã truy cập (${why}): hãy kết nối lại OA bằng "Kết nối với Zalo" hoặc dán mã mới`;
  await rt.setStatus(channelId, "needs_reconnect", en);
  rt.log("warn", "zalo refresh token is dead; channel needs reconnecting", { channel_id: channelId, why });
  throw new ReconnectNeeded(en, vi);
}

/** Whether the stored token must be replaced: Zalo refused it (`rejected`), or it is missing or inside the margin. */
function stale(cfg: ZaloConfig, rt: ChannelRuntime, rejected?: string): boolean {
  if (rejected !== undefined) return cfg.access_token === rejected;
  const expires = expiresAtMs(cfg);
  return !cfg.access_token || (expires !== null && expires - rt.now().getTime() < REFRESH_MARGIN_MS);
}

const reconnectNeeded = () => new ReconnectNeeded(
  "The Zalo OA needs reconnecting: an admin must connect it again in Settings",
  "OA Zalo cần được kết nối lại: quản trị viên hãy kết nối lại trong Cài đặt",
);

/**
 * Refreshes unless someone else did meanwhile. Run under rt.exclusive: with several Pano instances
 * the channel was just re-read from the database, so a pair another instance stored wins here and
 * its spent refresh token is never presented again.
 */
async function refreshIfStill(channelId: number, rt: ChannelRuntime, rejected?: string): Promise<string> {
  const ch = rt.current(channelId);
  if (!ch) throw new TokenUnavailable("channel removed");
  if (ch.status === "needs_reconnect") throw reconnectNeeded();
  const cfg = ch.config as ZaloConfig;
  if (!stale(cfg, rt, rejected) && cfg.access_token) return cfg.access_token;
  return refresh(channelId, rt);
}

async function exclusively(channelId: number, rt: ChannelRuntime, rejected?: string): Promise<string> {
  if (!rt.exclusive) return refreshIfStill(channelId, rt, rejected);
  try {
    return await rt.exclusive(channelId, () => refreshIfStill(channelId, rt, rejected));
  } catch (err) {
    if (err instanceof ReconnectNeeded || err instanceof TokenUnavailable) throw err;
    // The lock itself (PostgreSQL unreachable, another instance stuck): a passing trouble, retried.
    throw new TokenUnavailable(`Zalo token refresh could not take its lock: ${String((err as Error)?.message ?? err)}`);
  }
}

/**
 * A usable access token. `rejected` is a token Zalo just refused (-216/-220): if the stored one is
 * still that token, refresh; if another caller already replaced it, use the replacement.
 */
export async function accessToken(channelId: number, rt: ChannelRuntime, rejected?: string): Promise<string> {
  const ch = rt.current(channelId);
  if (!ch) throw new TokenUnavailable("channel removed");
  const cfg = ch.config as ZaloConfig;
  const pending = inFlight.get(channelId);
  if (pending) return pending;
  if (ch.status === "needs_reconnect") throw reconnectNeeded();
  if (!stale(cfg, rt, rejected) && cfg.access_token) return cfg.access_token;
  const p = exclusively(channelId, rt, rejected).finally(() => inFlight.delete(channelId));
  inFlight.set(channelId, p);
  return p;
}
