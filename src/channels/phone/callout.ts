// Click-to-call through Stringee's REST callout (docs/rest-api-reference/call-rest-api-make-outbound-call):
// the switchboard rings the agent's own Stringee user first and, once they pick up, connects the
// customer. The agent's leg names the customer in its alias, which is how its call events are
// joined to the customer (stringee.ts). A fresh short-lived JWT signs every request.
import { createHmac, randomBytes } from "node:crypto";
import type { Channel, ChannelRuntime } from "../channel.ts";
import type { PhoneConfig } from "./config.ts";

const TOKEN_TTL_S = 60;

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

/** X-STRINGEE-AUTH: HS256, header cty "stringee-api;v=1", claims jti, iss = API key SID, exp, rest_api. */
export function stringeeRestToken(sid: string, secret: string, now: Date): string {
  const iat = Math.floor(now.getTime() / 1000);
  const head = b64({ typ: "JWT", alg: "HS256", cty: "stringee-api;v=1" });
  const body = b64({ jti: `${sid}-${iat}-${randomBytes(6).toString("hex")}`, iss: sid, exp: iat + TOKEN_TTL_S, rest_api: true });
  return `${head}.${body}.${createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url")}`;
}

/** 0912345678 -> 84912345678: Stringee dials E.164 without "+". */
export const e164 = (phone: string) => (phone.startsWith("0") ? "84" + phone.slice(1) : phone);

export type CalloutResult = { ok: true; callId: string | null } | { ok: false; code: "refused" | "unreachable"; reason: string };

export async function callout(channel: Channel<PhoneConfig>, agentUser: string, customerPhone: string, rt: ChannelRuntime): Promise<CalloutResult> {
  const shop = channel.config.numbers[0];
  const customer = e164(customerPhone);
  const body = {
    from: { type: "external", number: shop, alias: shop },
    to: [{ type: "internal", number: agentUser, alias: customer }],
    actions: [{ action: "connect", from: { type: "external", number: shop, alias: shop }, to: { type: "external", number: customer, alias: customer }, timeout: 45, maxConnectTime: -1, peerToPeerCall: false }],
  };
  let res: Response;
  try {
    res = await rt.http(`${rt.urls.stringeeApi.replace(/\/$/, "")}/v1/call2/callout`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", "x-stringee-auth": stringeeRestToken(channel.config.api_key_sid ?? "", channel.config.api_key_secret ?? "", rt.now()) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    return { ok: false, code: "unreachable", reason: String((err as Error).message ?? err).slice(0, 200) };
  }
  const answer = (await res.json().catch(() => null)) as { r?: number; message?: string; call_id?: string } | null;
  if (answer?.r === 0) return { ok: true, callId: answer.call_id ?? null };
  return { ok: false, code: "refused", reason: (answer?.message ?? `HTTP ${res.status}`).slice(0, 200) };
}
