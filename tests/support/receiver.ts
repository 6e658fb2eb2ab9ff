// A local HTTP receiver for API-channel callbacks: records every request, can fail on demand.
export interface Received {
  headers: Headers;
  body: string;
  json: any;
}

export function startReceiver(plan: { failTimes?: number; failStatus?: number; status?: number } = {}) {
  const received: Received[] = [];
  let failures = 0;
  const server = Bun.serve({
    port: 0,
    async fetch(req) {
      const body = await req.text();
      received.push({ headers: req.headers, body, json: JSON.parse(body) });
      if (plan.failTimes && failures < plan.failTimes) {
        failures++;
        return new Response("temporarily down", { status: plan.failStatus ?? 503 });
      }
      return new Response(plan.status && plan.status >= 400 ? "recipient blocked" : "ok", { status: plan.status ?? 200 });
    },
  });
  return { url: `http://127.0.0.1:${server.port}/callback`, received, stop: () => server.stop(true) };
}
