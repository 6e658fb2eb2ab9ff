// An integrator's endpoint for Pano's outgoing webhooks, as docs/webhooks.md tells them to write
// one: it checks X-Pano-Signature on the raw body before believing anything, and records every
// delivery. `answer` decides the reply (a 500 now and then, a slow one, ...).
import { createHmac, timingSafeEqual } from "node:crypto";
import { eventually } from "./pano.ts";

export interface Delivery {
  id: string;
  event: string;
  body: any;
  raw: string;
  headers: Headers;
  /** The signature matched the body under the receiver's secret. */
  verified: boolean;
}

export function verifySignature(raw: string, header: string | null, secret: string): boolean {
  const expected = Buffer.from("sha256=" + createHmac("sha256", secret).update(raw).digest("hex"));
  const got = Buffer.from(header ?? "");
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export function startWebhookReceiver(opts: { secret: string; answer?: (d: Delivery, n: number) => Response | Promise<Response> }) {
  const deliveries: Delivery[] = [];
  let secret = opts.secret;
  let answer = opts.answer ?? (() => new Response("ok"));
  const server = Bun.serve({
    port: 0,
    async fetch(req) {
      const raw = await req.text();
      const d: Delivery = { id: req.headers.get("x-pano-delivery") ?? "", event: req.headers.get("x-pano-event") ?? "", body: JSON.parse(raw), raw, headers: req.headers, verified: verifySignature(raw, req.headers.get("x-pano-signature"), secret) };
      deliveries.push(d);
      if (!d.verified) return new Response("bad signature", { status: 401 });
      return answer(d, deliveries.length);
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}/pano-hook`,
    deliveries,
    setSecret: (s: string) => void (secret = s),
    setAnswer: (a: typeof answer) => void (answer = a),
    /** Waits for a verified delivery matching `match`. */
    waitFor: (match: (d: Delivery) => boolean, what: string, ms = 15_000) => eventually(() => deliveries.find((d) => d.verified && match(d)), ms, what),
    stop: () => server.stop(true),
  };
}
