// A browser's PushSubscription (its toJSON(): endpoint and keys) as Pano keeps it, checked: the
// endpoint is the URL Pano will POST to, so it must be https (http only where private fetches
// are allowed: tests and their local push service), and the keys must be a P-256 public key
// (65 bytes, uncompressed) and a 16-byte auth secret, as RFC 8291 says.
const B64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const bytes = (s: string) => Buffer.from(s, "base64url").length;

export interface PushSubscriptionInput {
  endpoint: string;
  p256dh: string;
  auth: string;
  device: string | null;
}

export function pushSubscriptionInput(body: unknown, allowHttp: boolean, userAgent: string | undefined): PushSubscriptionInput | string {
  const b = body as { endpoint?: unknown; keys?: { p256dh?: unknown; auth?: unknown }; device?: unknown } | null;
  if (!b || typeof b.endpoint !== "string") return "endpoint: required";
  if (b.endpoint.length > 2000) return "endpoint: at most 2000 characters";
  let url: URL;
  try {
    url = new URL(b.endpoint);
  } catch {
    return "endpoint: not a URL";
  }
  if (url.protocol !== "https:" && !(allowHttp && url.protocol === "http:")) return "endpoint: must be an https URL";
  const p256dh = b.keys?.p256dh;
  const auth = b.keys?.auth;
  if (typeof p256dh !== "string" || !B64URL.test(p256dh) || bytes(p256dh) !== 65 || Buffer.from(p256dh, "base64url")[0] !== 4) return "keys.p256dh: must be an uncompressed P-256 public key (base64url)";
  if (typeof auth !== "string" || !B64URL.test(auth) || bytes(auth) !== 16) return "keys.auth: must be 16 bytes (base64url)";
  const device = typeof b.device === "string" && b.device.trim() ? b.device.trim().slice(0, 120) : deviceName(userAgent);
  return { endpoint: b.endpoint, p256dh, auth, device };
}

/** "Chrome on Android", "Firefox on Windows": enough to tell one's devices apart in the settings. */
function deviceName(ua: string | undefined): string | null {
  if (!ua) return null;
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrome\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : null;
  const os = /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Windows/.test(ua) ? "Windows" : /Mac OS X/.test(ua) ? "macOS" : /Linux/.test(ua) ? "Linux" : null;
  return browser && os ? `${browser} · ${os}` : browser ?? os;
}
