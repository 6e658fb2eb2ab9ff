// eSMS.vn's REST API, as developers.esms.vn describes it (checked with search):
// - POST /MainService.svc/json/SendMultipleMessage_V4_post_json/ JSON {ApiKey, SecretKey, Phone, Content,
//   Brandname, SmsType, IsUnicode, RequestId, CallbackUrl, Sandbox?} -> {"CodeResult":"100",
//   "CountRegenerate":0,"SMSID":"..."}; otherwise {"CodeResult":"<code>","ErrorMessage":"..."} with the
//   codes of its table: 99 phone blocked, 101 wrong ApiKey/SecretKey, 102 no price list, 103 balance,
//   104 brandname does not exist, 108 phone format, 118 unsupported type, 124 duplicate RequestId,
//   140 IP not whitelisted, 146 wrong customer care template, 177 network not registered.
// - POST /MainService.svc/json/GetBalance_json {ApiKey, SecretKey} -> {"Balance","CodeResponse":"100","UserID"}
//   or {"Balance":0,"CodeResponse":"101","ErrorMessage":"Authorize Failed"}.
// - Delivery reports: an HTTP GET of CallbackUrl?SMSID=&SendFailed=&SendStatus=&SendSuccess=&TotalPrice=
//   &TotalReceiver=&TotalSent=&RequestId=&TypeId=2&telcoid=&phonenumber=&switchsmsid= once final
//   (SendStatus 5 done, 4 rejected).
import { randomUUID } from "node:crypto";

export interface EsmsSend { ApiKey: string; SecretKey: string; Phone: string; Content: string; Brandname: string; SmsType: string; IsUnicode: string; RequestId: string; CallbackUrl: string; SMSID: string }

const MESSAGES: Record<string, string> = {
  "99": "Phone number is blocked", "101": "Authorize Failed", "102": "No price list", "103": "Not enough balance",
  "104": "Brandname does not exist", "108": "Phone number is not in correct format", "118": "Unsupported message type",
  "124": "Duplicate RequestId", "140": "IP is not whitelisted", "146": "Wrong customer care template", "177": "Network is not registered",
};

export function esmsApi(opts: { apiKey: string; secretKey: string; brandnames: string[]; balance?: number }) {
  const sends: EsmsSend[] = [];
  const refused: { code: string; body: any }[] = [];
  let balance = opts.balance ?? 1_000_000;
  /** The next sends are answered with these codes, in order (a failure the story wants to see); "lost" takes the send but answers 502. */
  const nextCodes: string[] = [];
  let down = false;
  const answer = (code: string, extra: Record<string, unknown> = {}) => Response.json({ CodeResult: code, ErrorMessage: MESSAGES[code] ?? "Unknown error", ...extra });

  const serve = (port: number) => Bun.serve({
    port,
    hostname: "127.0.0.1",
    async fetch(req) {
      const url = new URL(req.url);
      const body = (await req.json().catch(() => null)) as any;
      if (req.method === "POST" && url.pathname === "/MainService.svc/json/GetBalance_json") {
        if (body?.ApiKey !== opts.apiKey || body?.SecretKey !== opts.secretKey) return Response.json({ Balance: 0, CodeResponse: "101", ErrorMessage: "Authorize Failed" });
        return Response.json({ Balance: balance, CodeResponse: "100", UserID: 9999 });
      }
      if (req.method !== "POST" || url.pathname.replace(/\/$/, "") !== "/MainService.svc/json/SendMultipleMessage_V4_post_json") return new Response("not found", { status: 404 });
      const refuse = (code: string) => (refused.push({ code, body }), answer(code));
      if (body?.ApiKey !== opts.apiKey || body?.SecretKey !== opts.secretKey) return refuse("101");
      const forced = nextCodes.shift();
      if (forced === "lost") {
        // Taken, but the answer never reaches the caller (a timeout, a dropped connection).
        sends.push({ ...body, SMSID: randomUUID() });
        return new Response("Bad Gateway", { status: 502 });
      }
      if (forced) return refuse(forced);
      if (body.RequestId && sends.some((s) => s.RequestId === body.RequestId)) return refuse("124");
      if (String(body.SmsType) !== "2") return refuse("118");
      if (!opts.brandnames.includes(body.Brandname)) return refuse("104");
      if (!/^(0|84)\d{9}$/.test(String(body.Phone))) return refuse("108");
      if (balance < 1000) return refuse("103");
      balance -= 1000;
      const SMSID = randomUUID();
      sends.push({ ...body, SMSID });
      return answer("100", { CountRegenerate: 0, SMSID, ErrorMessage: undefined });
    },
  });
  let server: ReturnType<typeof serve> | null = serve(0);
  const port = server.port ?? 0;

  return {
    url: `http://127.0.0.1:${port}`,
    sends,
    refused,
    failNext: (...codes: string[]) => void nextCodes.push(...codes),
    setBalance: (n: number) => void (balance = n),
    setDown(d: boolean) {
      down = d;
      if (down && server) void server.stop(true), (server = null);
      if (!down && !server) server = serve(port);
    },
    /** eSMS calls the send's CallbackUrl once the message is final: delivered, or failed at the network. */
    async report(s: EsmsSend, outcome: "delivered" | "failed" | "rejected"): Promise<Response> {
      const q = new URLSearchParams({
        SMSID: s.SMSID, SendFailed: outcome === "delivered" ? "0" : "1", SendStatus: outcome === "rejected" ? "4" : "5",
        SendSuccess: outcome === "delivered" ? "1" : "0", TotalPrice: "750.0000", TotalReceiver: "1", TotalSent: "1",
        RequestId: s.RequestId ?? "", TypeId: "2", telcoid: "1", phonenumber: s.Phone, switchsmsid: "",
      });
      return fetch(`${s.CallbackUrl}?${q}`);
    },
    stop: () => server?.stop(true),
  };
}
