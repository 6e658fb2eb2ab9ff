// X-Pano-Signature: the HMAC-SHA256 of the raw body under a shared secret, the scheme providers use
// on their webhooks. Pano signs the API channel's replies and pings and its outgoing webhooks with
// it, so an integration checks them all the same way.
import { createHmac } from "node:crypto";

export function signBody(body: string, secret: string): string {
  return "sha256=" + createHmac("sha256", secret).update(body).digest("hex");
}
