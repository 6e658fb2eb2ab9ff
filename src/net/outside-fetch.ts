// The one door for fetching a URL that came from outside Pano: a provider's attachment URL, an
// API channel's callback. Such a URL is chosen by whoever sent the webhook or saved the form, so
// it must not read Pano's own disk (file:), the operator's network (127.0.0.1, 10.x, the cloud
// metadata service) or Pano's memory (an endless body). Operator-set bases (Graph, Zalo, LLM)
// do not come through here.
import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { readCapped, readPrefix } from "./capped-body.ts";

export type OutsideRefusal = "scheme" | "address" | "redirects" | "too_large" | "timeout" | "unreachable";

export class OutsideFetchError extends Error {
  constructor(readonly reason: OutsideRefusal, message: string) {
    super(message);
  }
}

export interface OutsideRequest {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** Headers that prove who Pano is (a provider's API key): sent only to the first URL's origin, never after a redirect elsewhere. */
  credentials?: Record<string, string>;
  /** Bytes for a binary body (an encrypted Web Push). */
  body?: string | Uint8Array;
  /** Most body bytes kept; a larger body (declared or streamed) aborts with too_large. */
  maxBytes?: number;
  /** For the whole exchange: every redirect and the body included. */
  timeoutMs?: number;
  /** false: only the status matters (a callback); the body is dropped unread. */
  keepBody?: boolean;
  /** Keep the first this-many bytes of the body, whatever the status, and drop the rest (a webhook's answer, shown to admins). */
  peekBytes?: number;
  /** false: a 3xx is the answer, not followed (a signed POST must not turn into a GET elsewhere). */
  followRedirects?: boolean;
}

/** A body is read only for a 2xx answer (or up to peekBytes of any answer); any other answer's body is dropped unread. */
export interface OutsideAnswer {
  status: number;
  statusText: string;
  ok: boolean;
  headers: Headers;
  body: Uint8Array;
}

export type FetchOutside = (url: string, req?: OutsideRequest) => Promise<OutsideAnswer>;

export interface OutsideFetchOptions {
  /** PANO_ALLOW_PRIVATE_FETCH: tests and simulators live on 127.0.0.1. */
  allowPrivate: boolean;
  maxBytes: number;
  timeoutMs?: number;
  http?: typeof fetch;
  /** Name -> addresses; the system resolver unless a test brings its own. */
  resolve?: (host: string) => Promise<string[]>;
}

const MAX_REDIRECTS = 3;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// ipaddr.js calls ::a.b.c.d (the deprecated IPv4-compatible form) plain unicast; refused as well.
const IPV4_COMPATIBLE = ipaddr.parseCIDR("::/96");

const systemResolve = async (host: string) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Only public unicast: loopback, private, link-local (metadata), CGNAT, multicast, reserved... all refused. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.process(address); // ::ffff:127.0.0.1 is judged as 127.0.0.1
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).match(IPV4_COMPATIBLE)) return false;
  return ip.range() === "unicast";
}

/** A literal host in a URL someone types (a callback URL): refused at save time when not public. */
export function isPrivateLiteralHost(url: URL): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  return ipaddr.isValid(host) && !isPublicAddress(host);
}

export function createOutsideFetch(o: OutsideFetchOptions): FetchOutside {
  const http = o.http ?? fetch;
  const resolve = o.resolve ?? systemResolve;

  /** The URL to connect to, its host replaced by the one address that was checked. */
  async function pinned(url: URL): Promise<{ url: URL; host: string; serverName: string }> {
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new OutsideFetchError("scheme", `only http(s) may be fetched, not ${url.protocol}`);
    const name = url.hostname.replace(/^\[|\]$/g, "");
    let addresses: string[];
    try {
      addresses = ipaddr.isValid(name) ? [name] : await resolve(name);
    } catch (err) {
      throw new OutsideFetchError("unreachable", `cannot resolve ${name}: ${String((err as Error)?.message ?? err)}`);
    }
    if (!addresses.length) throw new OutsideFetchError("unreachable", `${name} has no address`);
    // One private answer among public ones is refused too: which one the connection would use is not ours to guess.
    if (!o.allowPrivate && !addresses.every(isPublicAddress)) throw new OutsideFetchError("address", `${name} is a private or local address`);
    const ip = ipaddr.parse(addresses[0]!);
    const target = new URL(url);
    target.hostname = ip.kind() === "ipv6" ? `[${ip.toString()}]` : ip.toString();
    return { url: target, host: url.host, serverName: name };
  }

  return async (url, req = {}) => {
    const maxBytes = req.maxBytes ?? o.maxBytes;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(new OutsideFetchError("timeout", "took too long")), req.timeoutMs ?? o.timeoutMs ?? 30_000);
    let current: URL;
    try {
      current = new URL(url);
    } catch {
      clearTimeout(timer);
      throw new OutsideFetchError("scheme", "not a URL");
    }
    const home = current.origin;
    let method = req.method ?? "GET";
    let body = req.body;
    try {
      for (let hop = 0; ; hop++) {
        const target = await pinned(current);
        // The name is checked once and the connection goes to the address that passed: a DNS
        // answer that changes between check and connect (rebinding) cannot move it. Bun's fetch
        // sends our Host header as given and takes tls.serverName for both SNI and the
        // certificate check, so the far side still sees, and must prove, the original name.
        const res = await http(target.url, {
          method, body, redirect: "manual", signal: ctl.signal,
          headers: { ...req.headers, ...(current.origin === home ? req.credentials : {}), host: target.host },
          tls: { serverName: target.serverName },
        } as RequestInit);
        const location = res.headers.get("location");
        if (REDIRECTS.has(res.status) && location && req.followRedirects !== false) {
          await res.body?.cancel().catch(() => {});
          if (hop >= MAX_REDIRECTS) throw new OutsideFetchError("redirects", `more than ${MAX_REDIRECTS} redirects`);
          current = new URL(location, current);
          if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST")) {
            method = "GET";
            body = undefined;
          }
          continue;
        }
        const answer: OutsideAnswer = { status: res.status, statusText: res.statusText, ok: res.ok, headers: res.headers, body: new Uint8Array(0) };
        if (req.peekBytes !== undefined) {
          answer.body = await readPrefix(res.body, req.peekBytes);
          return answer;
        }
        if (!res.ok || req.keepBody === false) {
          await res.body?.cancel().catch(() => {});
          return answer;
        }
        if (Number(res.headers.get("content-length") ?? 0) > maxBytes) {
          await res.body?.cancel().catch(() => {});
          throw new OutsideFetchError("too_large", `declared over ${maxBytes} bytes`);
        }
        const bytes = await readCapped(res.body, maxBytes);
        if (!bytes) throw new OutsideFetchError("too_large", `body over ${maxBytes} bytes`);
        answer.body = bytes;
        return answer;
      }
    } catch (err) {
      if (err instanceof OutsideFetchError) throw err;
      if (ctl.signal.aborted && ctl.signal.reason instanceof OutsideFetchError) throw ctl.signal.reason;
      throw new OutsideFetchError("unreachable", String((err as Error)?.message ?? err));
    } finally {
      clearTimeout(timer);
      ctl.abort(); // closes the connection of a body left unread
    }
  };
}
