// Stories of an agent's switchboard user (phone_user_id): set in Settings › People or on their own
// account page, returned in the user JSON, and what the answer URL and a click-to-call ring.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPano, ADMIN, type PanoProcess } from "./support/pano.ts";
import { addAgent, addTeam, type Agent } from "./support/agents.ts";
import { signIn, fieldError } from "./settings-session.ts";
import { stringeeApi } from "./sim/stringee.ts";

const SHOP = "842873000021";
const TOKEN = "tong-dai-agent-user-token-01";
const SID = "SKagentuser";
const SECRET = "bi-mat-stringee-agent-user";
let pano: PanoProcess;
let sim: ReturnType<typeof stringeeApi>;
let an: Agent;
let teamId: string;

beforeAll(async () => {
  sim = stringeeApi(SID, SECRET);
  pano = await startPano({ env: { PANO_STRINGEE_API_URL: sim.url } });
  await pano.json("/api/v1/channels", { method: "POST", json: { type: "phone", name: "Stringee", config: { provider: "stringee", numbers: [SHOP], api_key_sid: SID, api_key_secret: SECRET, webhook_token: TOKEN } } });
  teamId = await addTeam(pano, "CSKH", "manual");
  an = await addAgent(pano, "an@shop.vn", [teamId]);
});
afterAll(async () => {
  an.goOffline();
  await pano.stop();
  sim.stop();
});

const userJson = async (id: string) => (await pano.json("/api/v1/users")).data.find((u: any) => u.id === id);

describe("phone_user_id", () => {
  test("set by an admin in Settings › People, returned in the user JSON; a second person cannot take it", async () => {
    const admin = await signIn(pano, ADMIN.email, ADMIN.password);
    const edit = await admin.get(`/settings/users/${an.id}`);
    expect(edit.html).toContain("Tài khoản tổng đài (phone_user_id)");
    const saved = await admin.post(`/settings/users/${an.id}`, { name: "an", role: "agent", capacity: "20", team_ids: [teamId], phone_user_id: "agent_an", password: "" });
    expect(saved.status).toBe(303);
    expect((await userJson(an.id)).phone_user_id).toBe("agent_an");

    const binh = await pano.json("/api/v1/users", { method: "POST", json: { email: "binh@shop.vn", password: "mat-khau-dai-du-8", role: "agent", phone_user_id: "agent_binh" } });
    expect(binh.phone_user_id).toBe("agent_binh");
    const taken = await admin.post(`/settings/users/${binh.id}`, { name: "binh", role: "agent", capacity: "20", phone_user_id: "agent_an", password: "" });
    expect(taken.status).toBe(422);
    expect(fieldError(taken.html, "phone_user_id")).toBe("Tài khoản tổng đài này đã được gán cho người khác.");
    const bad = await admin.post(`/settings/users/${binh.id}`, { name: "binh", role: "agent", capacity: "20", phone_user_id: "có dấu cách", password: "" });
    expect(bad.status).toBe(422);
    expect((await userJson(binh.id)).phone_user_id).toBe("agent_binh");
  });

  test("an agent sets their own on the account page; blank clears it", async () => {
    const me = await signIn(pano, "binh@shop.vn", "mat-khau-dai-du-8");
    const page = await me.get("/account");
    expect(page.html).toContain('name="phone_user_id" value="agent_binh"');
    expect((await me.post("/account", { language: "vi", timezone: "Asia/Ho_Chi_Minh", phone_user_id: "may-le-102" })).status).toBe(200);
    const binh = (await pano.json("/api/v1/users")).data.find((u: any) => u.email === "binh@shop.vn");
    expect(binh.phone_user_id).toBe("may-le-102");
    expect((await me.post("/account", { language: "vi", timezone: "Asia/Ho_Chi_Minh", phone_user_id: "agent_an" })).status).toBe(422);
    expect((await me.post("/account", { language: "vi", timezone: "Asia/Ho_Chi_Minh", phone_user_id: "" })).status).toBe(200);
    expect((await userJson(binh.id)).phone_user_id).toBeNull();
  });

  test("the answer URL rings the owner's switchboard user and a click-to-call rings the caller's", async () => {
    const api = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Đơn hàng" } })).id;
    const r = await (await pano.api(`/api/v1/channels/${api}/inbound`, { method: "POST", json: { external_contact_id: "kh-u1", external_message_id: "kh-u1-1", text: "Shop ơi", phone: "0912 777 001" } })).json();
    await pano.json(`/api/v1/conversations/${r.conversation_id}`, { method: "PATCH", json: { team_id: teamId, assignee_id: an.id } });
    await an.goOnline();
    const scco = await (await fetch(`${pano.url}/webhooks/phone/${TOKEN}/answer?from=84912777001&to=${SHOP}&uuid=u-1&fromInternal=false`)).json();
    expect(scco[0].to).toMatchObject({ type: "internal", number: "agent_an" });

    const call = await fetch(`${pano.url}/api/v1/contacts/${r.contact_id}/calls`, { method: "POST", headers: { authorization: `Bearer ${an.token}`, "content-type": "application/json" }, body: "{}" });
    expect(call.status).toBe(202);
    expect(sim.calls.at(-1)!.body.to[0]).toMatchObject({ type: "internal", number: "agent_an" });
  });
});
