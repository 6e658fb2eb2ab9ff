// A Stringee simulator following its public docs (checked with search, developer.stringee.com):
// - Call events (docs/server/call-events): POST JSON to the project's event URL, unsigned:
//   {"call_status":"created|started|ringing|answered|ended|agentEnded","project_id","account_sid",
//    "request_from_user_id"?,"timestamp_ms","from":{"number","alias","is_online","type":"internal|external"},
//    "to":{...},"type":"stringee_call","call_id","clientCustomData"?}; an ended call adds "duration",
//   "answerDuration" (talk time, 0 unanswered), "endCallCause" ("486 Busy Here"), "endedBy", "callCreatedReason", "callType".
// - Answer URL (docs/server/event-url-and-answer-url), phone-to-app: GET
//   answer_url?from=<caller>&to=<Stringee number>&uuid=<call uuid>&fromInternal=false -> an SCCO JSON array.
// - Callout (docs/rest-api-reference/call-rest-api-make-outbound-call): POST /v1/call2/callout, header
//   X-STRINGEE-AUTH: <JWT HS256, header cty "stringee-api;v=1", claims jti, iss=api key sid, exp, rest_api: true>,
//   body {"from":{type,number,alias},"to":[{type,number,alias}],"answer_url"?|"actions"?} -> {"r":0} on success,
//   {"r":<code>,"message"} otherwise. The docs list no error codes; the ones below are the simulator's.
// - Recordings: GET /v1/call/play/<call_id> with the same X-STRINGEE-AUTH -> the call's mp3 (audio/mpeg),
//   404 for a call that was not recorded. Its `recordings` map holds what it serves; `plays` what was asked.
import { createHmac, timingSafeEqual } from "node:crypto";

export interface StringeeParty { number: string; alias?: string; type: "internal" | "external"; is_online?: boolean }

export function stringeeEvents(eventsUrl: string) {
  return {
    async post(call_id: string, call_status: string, from: StringeeParty, to: StringeeParty, extra: Record<string, unknown> = {}, at = Date.now()): Promise<Response> {
      const body = { call_status, project_id: 25, account_sid: "ACsimulator", timestamp_ms: at, from: { alias: from.number, is_online: false, ...from }, to: { alias: to.number, is_online: false, ...to }, type: "stringee_call", call_id, ...extra };
      return fetch(eventsUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    },
  };
}

export interface Callout { headers: Record<string, unknown>; claims: Record<string, unknown>; body: any }

/** POST /v1/call2/callout. `mode`: "ok", "refuse" ({"r":2,...}), "down" (nothing listens: a network error). */
export function stringeeApi(keySid: string, keySecret: string) {
  const calls: Callout[] = [];
  const recordings = new Map<string, Uint8Array<ArrayBuffer>>();
  const plays: { callId: string; claims: Record<string, unknown> | null }[] = [];
  let mode: "ok" | "refuse" | "down" = "ok";
  const serve = (port: number) => Bun.serve({
    port,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      const jwt = req.headers.get("x-stringee-auth") ?? "";
      const [h, p, sig] = jwt.split(".");
      const want = createHmac("sha256", keySecret).update(`${h}.${p}`).digest();
      const got = Buffer.from(sig ?? "", "base64url");
      const signed = !!h && !!p && got.length === want.length && timingSafeEqual(got, want);
      const play = /^\/v1\/call\/play\/([^/]+)$/.exec(url.pathname);
      if (req.method === "GET" && play) {
        const callId = decodeURIComponent(play[1]);
        plays.push({ callId, claims: signed ? JSON.parse(Buffer.from(p, "base64url").toString()) : null });
        if (!signed) return Response.json({ r: 1, message: "ACCESS_TOKEN_INVALID" }, { status: 401 });
        const mp3 = recordings.get(callId);
        return mp3 ? new Response(mp3, { headers: { "content-type": "audio/mpeg" } }) : new Response("not found", { status: 404 });
      }
      if (req.method !== "POST" || url.pathname !== "/v1/call2/callout") return new Response("not found", { status: 404 });
      if (!signed) return Response.json({ r: 1, message: "ACCESS_TOKEN_INVALID" });
      const headers = JSON.parse(Buffer.from(h, "base64url").toString());
      const claims = JSON.parse(Buffer.from(p, "base64url").toString());
      if (claims.iss !== keySid || claims.rest_api !== true) return Response.json({ r: 1, message: "ACCESS_TOKEN_INVALID" });
      if (typeof claims.exp !== "number" || claims.exp * 1000 < Date.now()) return Response.json({ r: 1, message: "ACCESS_TOKEN_EXPIRED" });
      const body = await req.json();
      calls.push({ headers, claims, body });
      if (mode === "refuse") return Response.json({ r: 2, message: "FROM_NUMBER_NOT_FOUND" });
      return Response.json({ r: 0, message: "OK", call_id: `call-vn-1-SIM${calls.length}` });
    },
  });
  let server: ReturnType<typeof serve> | null = serve(0);
  const port = server.port ?? 0;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    recordings,
    plays,
    set(m: "ok" | "refuse" | "down") {
      mode = m;
      if (m === "down" && server) void server.stop(true), (server = null);
      if (m !== "down" && !server) server = serve(port);
    },
    stop: () => server?.stop(true),
  };
}
