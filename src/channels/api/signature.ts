// X-Pano-Signature: the HMAC-SHA256 of the raw body under the channel's callback_secret, the
// same scheme providers use on their webhooks, so an integration checks replies and pings alike.
import { createHmac } from "node:crypto";

export function signBody(body: string, secret: string): string {
  return "sha256=" + createHmac("sha256", secret).update(body).digest("hex");
}
