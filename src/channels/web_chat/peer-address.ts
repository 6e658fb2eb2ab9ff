// The address a visitor's request came from, for the per-address limits. The core's client-ip.ts
// also honours PANO_TRUST_PROXY, which a kind's routes cannot read yet; until the core hands that to
// kinds, this is the TCP peer (behind a proxy every visitor shares the proxy's budget).
import type { Context } from "hono";
import type { Server } from "bun";

export function peerAddress(c: Context): string {
  const server = (c.env as { server?: Server<unknown> } | undefined)?.server;
  return server?.requestIP(c.req.raw)?.address ?? "unknown";
}
