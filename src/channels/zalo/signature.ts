// X-ZEvent-Signature: "mac=" + hex SHA-256 (a plain hash, not an HMAC) of
// app_id + raw body + timestamp + OA secret key, where app_id and timestamp are the body's own
// string fields. Compared in constant time over the exact bytes received.
import { createHash, timingSafeEqual } from "node:crypto";

export function zaloMac(appId: string, raw: Uint8Array | string, timestamp: string, oaSecretKey: string): string {
  return createHash("sha256").update(appId).update(raw).update(timestamp).update(oaSecretKey).digest("hex");
}

export function validMac(header: string | null, appId: string, raw: Uint8Array, timestamp: string, oaSecretKey: string): boolean {
  const m = header ? /^mac=([0-9a-f]{64})$/i.exec(header.trim()) : null;
  if (!m) return false;
  const expected = Buffer.from(zaloMac(appId, raw, timestamp, oaSecretKey), "hex");
  return timingSafeEqual(expected, Buffer.from(m[1].toLowerCase(), "hex"));
}
