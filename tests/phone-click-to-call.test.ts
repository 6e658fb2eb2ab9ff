// Stories of an agent calling a customer from Pano: Stringee rings the agent first, then the
// customer; a refusal or an unreachable Stringee comes back as a reason the agent can read.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPano, type PanoProcess } from "./support/pano.ts";
import { stringeeApi } from "./sim/stringee.ts";

const SHOP = "842873000002";
const SID = "SKsimulatorKey";
const SECRET = "bi-mat-stringee-0123";
let pano: PanoProcess;
let sim: ReturnType<typeof stringeeApi>;
let contactId: string;
let noPhoneId: string;

beforeAll(async () => {
  sim = stringeeApi(SID, SECRET);
  pano = await startPano({ env: { PANO_STRINGEE_API_URL: sim.url } });
  await pano.json("/api/v1/channels", { method: "POST", json: { type: "phone", name: "Stringee", config: { provider: "stringee", numbers: [SHOP], api_key_sid: SID, api_key_secret: SECRET } } });
  const api = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Đơn hàng" } })).id;
  const say = async (ext: string, phone?: string) =>
    (await (await pano.api(`/api/v1/channels/${api}/inbound`, { method: "POST", json: { external_contact_id: ext, external_message_id: `${ext}-1`, text: "Gọi lại cho mình nhé", ...(phone ? { phone } : {}) } })).json()).contact_id;
  contactId = await say("kh-c1", "0912 222 001");
  noPhoneId = await say("kh-c2");
});
afterAll(async () => {
  await pano.stop();
  sim.stop();
});

const call = (id: string) => pano.api(`/api/v1/contacts/${id}/calls`, { method: "POST", json: {} });

describe("click-to-call", () => {
  test("the callout rings the agent first, then connects the customer, signed with a fresh short-lived JWT", async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await call(contactId);
    expect(r.status).toBe(202);
    expect(await r.json()).toMatchObject({ status: "calling", contact_id: contactId, call_id: "call-vn-1-SIM1" });
    const sent = sim.calls.at(-1)!;
    expect(sent.headers).toEqual({ typ: "JWT", alg: "HS256", cty: "stringee-api;v=1" });
    expect(sent.claims.iss).toBe(SID);
    expect(sent.claims.rest_api).toBe(true);
    expect(sent.claims.jti).toStartWith(`${SID}-`);
    expect(sent.claims.exp).toBeGreaterThan(before);
    expect(sent.claims.exp).toBeLessThanOrEqual(before + 120);
    expect(sent.body.from).toMatchObject({ type: "external", number: SHOP });
    expect(sent.body.to).toEqual([{ type: "internal", number: "admin@pano.test", alias: "84912222001" }]);
    expect(sent.body.actions[0]).toMatchObject({ action: "connect", to: { type: "external", number: "84912222001" } });
    // A second call gets its own token.
    await call(contactId);
    expect(sim.calls.at(-1)!.claims.jti).not.toBe(sent.claims.jti);
  });

  test("a refused callout, an unreachable Stringee and a customer without a phone each give the agent a reason", async () => {
    sim.set("refuse");
    const refused = await call(contactId);
    expect(refused.status).toBe(502);
    expect((await refused.json()).error).toMatchObject({ code: "callout_refused", message: expect.stringContaining("FROM_NUMBER_NOT_FOUND") });
    sim.set("down");
    const down = await call(contactId);
    expect(down.status).toBe(502);
    expect((await down.json()).error.code).toBe("callout_unreachable");
    sim.set("ok");
    const none = await call(noPhoneId);
    expect(none.status).toBe(422);
    expect((await none.json()).error).toEqual({ code: "no_phone", message: "Khách hàng này chưa có số điện thoại." });
    expect((await call("999999")).status).toBe(404);
  });
});
