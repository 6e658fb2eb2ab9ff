// The address a request came from, for per-IP limits. Behind a reverse proxy every request
// comes from the proxy, so the operator opts in to trusting X-Forwarded-For.
import type { Context } from "hono";
import type { Server } from "bun";

export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const fwd = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (fwd) return fwd;
  }
  const server = (c.env as { server?: Server<unknown> } | undefined)?.server;
  return server?.requestIP(c.req.raw)?.address ?? "unknown";
}
