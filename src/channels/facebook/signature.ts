// X-Hub-Signature-256: hex HMAC-SHA256 of the raw body bytes, keyed with the app secret.
// Checked before any parsing, in constant time, so a forged body never reaches JSON.parse.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export function signatureOf(raw: Uint8Array | string, appSecret: string): string {
  return "sha256=" + createHmac("sha256", appSecret).update(raw).digest("hex");
}

/** The one secret among `secrets` that signed `raw`, or null. Every candidate is compared fully. */
export function matchingSecret(raw: Uint8Array, header: string | null, secrets: Iterable<string>): string | null {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header.trim())) return null;
  const given = Buffer.from(header.trim().slice(7).toLowerCase(), "hex");
  let found: string | null = null;
  for (const secret of secrets) {
    const expected = createHmac("sha256", secret).update(raw).digest();
    if (timingSafeEqual(expected, given) && found === null) found = secret;
  }
  return found;
}

/**
 * Whether the handshake's hub.verify_token is one of `tokens`. Both sides are hashed first so the
 * comparison runs on equal lengths in constant time, and every candidate is compared fully.
 */
export function knownVerifyToken(given: string, tokens: Iterable<string>): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  const want = digest(given);
  let found = false;
  for (const token of tokens) if (timingSafeEqual(digest(token), want)) found = true;
  return found;
}
