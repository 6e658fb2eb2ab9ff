// The Graph API calls Pano makes, with the Page token and its appsecret_proof (required when the
// app enables "Require App Secret"; harmless otherwise).
import { createHmac } from "node:crypto";
import type { Channel, ChannelRuntime } from "../channel.ts";
import type { FacebookConfig } from "./config.ts";
import type { GraphError } from "./errors.ts";

/** Meta's reference showed v25.0 in late 2026; PANO_FACEBOOK_GRAPH_VERSION or a channel's graph_version overrides it. */
export const DEFAULT_GRAPH_VERSION = "v25.0";
const TIMEOUT_MS = 20_000;

export function graphUrl(channel: Channel<FacebookConfig>, rt: ChannelRuntime, path: string, params: Record<string, string> = {}): string {
  const c = channel.config;
  const q = new URLSearchParams({
    ...params,
    access_token: c.page_access_token,
    appsecret_proof: createHmac("sha256", c.app_secret).update(c.page_access_token).digest("hex"),
  });
  return `${rt.urls.facebookGraph}/${c.graph_version || rt.urls.facebookGraphVersion || DEFAULT_GRAPH_VERSION}/${path}?${q}`;
}

export type GraphAnswer<T> = { ok: true; body: T } | { ok: false; status: number; error?: GraphError; retryAfterMs?: number };

export async function graphCall<T>(rt: ChannelRuntime, url: string, init: { method: "GET" | "POST"; json?: unknown } = { method: "GET" }): Promise<GraphAnswer<T>> {
  const res = await rt.http(url, {
    method: init.method,
    headers: init.json !== undefined ? { "content-type": "application/json" } : undefined,
    body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // a proxy's HTML error page: the status decides
  }
  if (res.ok && body && !body.error) return { ok: true, body: body as T };
  const retryAfter = Number(res.headers.get("retry-after"));
  return { ok: false, status: res.ok ? 500 : res.status, error: body?.error, retryAfterMs: retryAfter > 0 ? retryAfter * 1000 : undefined };
}
