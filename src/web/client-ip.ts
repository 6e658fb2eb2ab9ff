// The address a request came from, for per-address limits (login, webhook rejects). Behind a
// reverse proxy every request comes from the proxy, and X-Forwarded-For is a list the client
// starts itself; each proxy appends the address it saw. So the client is the rightmost hop that is
// not one of the operator's proxies: anything left of it is whatever the client chose to write.
import type { Context } from "hono";
import type { Server } from "bun";
import { BlockList, isIP } from "node:net";
import type { Config } from "../config.ts";

// A proxy on the same host or the same (Docker) network: trusted whenever PANO_TRUST_PROXY is on.
const LOCAL_RANGES = ["127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "::1/128", "fc00::/7", "fe80::/10"];

const proxySets = new WeakMap<string[], BlockList>();
function proxySet(listed: string[]): BlockList {
  let set = proxySets.get(listed);
  if (!set) {
    set = new BlockList();
    for (const range of [...LOCAL_RANGES, ...listed]) {
      const [addr, bits] = range.split("/");
      const type = isIP(addr) === 6 ? "ipv6" : "ipv4";
      if (bits === undefined) set.addAddress(addr, type);
      else set.addSubnet(addr, Number(bits), type);
    }
    proxySets.set(listed, set);
  }
  return set;
}

const isProxy = (set: BlockList, addr: string) => isIP(addr) !== 0 && set.check(addr, isIP(addr) === 6 ? "ipv6" : "ipv4");

export function clientIp(c: Context, trustProxy: Config["trustProxy"]): string {
  return clientIpOf(c.req.raw, (c.env as { server?: Server<unknown> } | undefined)?.server, trustProxy);
}

/** The same for a plain request and the server that took it (a route served without the framework). */
export function clientIpOf(req: Request, server: Server<unknown> | undefined, trustProxy: Config["trustProxy"]): string {
  const peer = server?.requestIP(req)?.address ?? "unknown";
  if (!trustProxy) return peer;
  const proxies = proxySet(trustProxy);
  // Someone who reaches Pano around the proxy gets no say in the header.
  if (!isProxy(proxies, peer)) return peer;
  const hops = (req.headers.get("x-forwarded-for") ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) if (!isProxy(proxies, hops[i])) return hops[i];
  // Every hop is a proxy or a local address (a person on the office network): the first one.
  return hops[0] ?? peer;
}
