// Calls to the OA Open API with the channel's access token. A -216/-220 answer refreshes the token
// (single flight) and repeats the call once; Zalo's HTTP 200 with error != 0 is a failure. ZNS
// (`base`: PANO_ZALO_ZNS_URL) uses the same token and adds its own token error (-124).
import type { ChannelRuntime } from "../channel.ts";
import { accessToken, ReconnectNeeded, TokenUnavailable } from "./token.ts";
import { TOKEN_ERRORS, httpFailure, networkFailure, type Failure } from "./errors.ts";

export interface ZaloAnswer {
  error: number;
  message?: string;
  data?: Record<string, any>;
}

export type Outcome = { ok: true; answer: ZaloAnswer } | { ok: false; zaloError?: ZaloAnswer; failure?: Failure };

export async function callZalo(
  rt: ChannelRuntime,
  channelId: number,
  path: string,
  init: { method?: string; json?: unknown; form?: () => FormData; query?: Record<string, string>; base?: string; tokenErrors?: ReadonlySet<number> } = {},
): Promise<Outcome> {
  let rejected: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    let token: string;
    try {
      token = await accessToken(channelId, rt, rejected);
    } catch (err) {
      if (err instanceof ReconnectNeeded) return { ok: false, failure: { ok: false, kind: "reconnect", code: "needs_reconnect", reason: err.en, reasonVi: err.vi } };
      if (err instanceof TokenUnavailable) return { ok: false, failure: networkFailure(err) };
      throw err;
    }
    const url = new URL(`${(init.base ?? rt.urls.zaloApi).replace(/\/$/, "")}${path}`);
    for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { access_token: token };
    let body: BodyInit | undefined;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    } else if (init.form) body = init.form();
    let res: Response;
    try {
      res = await rt.http(url, { method: init.method ?? (body ? "POST" : "GET"), headers, body, signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      return { ok: false, failure: networkFailure(err) };
    }
    if (!res.ok) return { ok: false, failure: httpFailure(res.status) };
    const answer = (await res.json().catch(() => null)) as ZaloAnswer | null;
    if (!answer || typeof answer.error !== "number") return { ok: false, failure: httpFailure(502) };
    if (answer.error === 0) return { ok: true, answer };
    if ((TOKEN_ERRORS.has(answer.error) || init.tokenErrors?.has(answer.error)) && attempt === 0) {
      rejected = token;
      continue;
    }
    return { ok: false, zaloError: answer };
  }
  return { ok: false, failure: httpFailure(502) };
}
