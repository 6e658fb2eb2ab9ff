// One customer, however their number is written: a Zalo follower who shared her phone and later
// texts the shop's SMS number, a customer whose phone an agent typed with dots, and every common
// Vietnamese way of writing a mobile number all land on one profile.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eventually } from "./support/pano.ts";
import { startZaloWorld, type ZaloWorld } from "./sim/zalo-pano.ts";
import { smsGateway } from "./sim/sms-gateway.ts";
import { gatewayChannel, smsThread, GATEWAY_LOGIN } from "./support/sms.ts";
import { mobilePhone, normalisePhone, phoneE164 } from "../src/domain/contact.ts";

let w: ZaloWorld;
let gw: ReturnType<typeof smsGateway>;
let sms: { id: string; eventsUrl: string };

beforeAll(async () => {
  gw = smsGateway(GATEWAY_LOGIN);
  w = await startZaloWorld();
  sms = await gatewayChannel(w.pano, gw);
}, 60_000);
afterAll(async () => {
  await w?.stop();
  gw?.stop();
});

describe("a phone number in every form is one number", () => {
  test("0912…, +84912…, 84912…, 0084…, with spaces, dots, dashes or brackets: one canonical number and one E.164", () => {
    const forms = ["0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "+84912345678", "+84 912 345 678", "84912345678", "84 912.345.678", "0084 912 345 678", "+84 (0) 912 345 678", "(+84) 912-345-678"];
    for (const f of forms) expect({ f, n: normalisePhone(f), m: mobilePhone(f) }).toEqual({ f, n: "0912345678", m: "0912345678" });
    expect(phoneE164("0912345678")).toBe("+84912345678");
  });

  test("what is not a Vietnamese mobile number is refused: landlines, short codes, too few or too many digits, letters", () => {
    for (const bad of ["028 3822 1234", "1900 1234", "191", "091234567", "09123456789", "0912 345 67x", "Viettel", "", "+1 650 555 1212", "0112345678", "84+912345678"]) {
      expect({ bad, m: mobilePhone(bad) }).toEqual({ bad, m: null });
    }
  });
});

describe("texting the shop joins the profile the customer already has", () => {
  test("a Zalo follower who shared her phone, then texts the SMS number, is one customer with both conversations", async () => {
    const lan = w.sim.addUser(undefined, { display_name: "Nguyễn Thị Lan", phone: "84912000111" });
    expect((await w.sim.userSays(lan, "Shop ơi em muốn đổi size áo")).status).toBe(200);
    const zaloProfile = await eventually(async () => {
      const c = await w.contactOf(lan);
      return c?.phone ? c : null;
    }, 15_000, "her shared phone on the profile");
    expect(zaloProfile.phone).toBe("0912000111");

    await gw.receive("+84912000111", "Em là Lan bên Zalo, em nhắn SMS vì hết pin điện thoại kia");
    const profile = await eventually(async () => {
      const c = await w.pano.json(`/api/v1/contacts/${zaloProfile.id}`);
      return c.identities.length === 2 ? c : null;
    }, 15_000, "the SMS identity on her Zalo profile");
    expect(profile.identities.map((i: any) => [i.channel_type, i.external_id]).sort()).toEqual([["sms", "0912000111"], ["zalo", lan]].sort());
    expect(profile.conversation_ids).toHaveLength(2);
    const thread = await smsThread(w.pano, "0912000111", sms.id);
    expect(String(thread.conversation.contact_id)).toBe(String(zaloProfile.id));
  });

  test("a phone an agent saved with dots is matched by a text from 84… without the plus", async () => {
    const web = await w.pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } });
    const order = await w.pano.json(`/api/v1/channels/${web.id}/inbound`, { method: "POST", json: { external_contact_id: "web-9", contact_name: "Lê Văn Minh", external_message_id: "w-9", text: "Đặt 2 hộp bánh" } });
    await w.pano.json(`/api/v1/contacts/${order.contact_id}`, { method: "PATCH", json: { phone: "0912.000.333" } });
    await gw.receive("84912000333", "Anh Minh đây, giao bánh trước 5h giúp anh");
    const profile = await eventually(async () => {
      const c = await w.pano.json(`/api/v1/contacts/${order.contact_id}`);
      return c.identities.some((i: any) => i.channel_type === "sms") ? c : null;
    }, 15_000, "the SMS identity on the saved profile");
    expect(profile.phone).toBe("0912000333");
    expect(profile.name).toBe("Lê Văn Minh");
    expect(profile.identities.find((i: any) => i.channel_type === "sms").external_id).toBe("0912000333");
  });

  test("texts from +84…, 84… and 0… of one number are one conversation on one profile", async () => {
    for (const from of ["+84912000444", "84912000444", "0912000444"]) await gw.receive(from, `Tin từ ${from}`);
    const thread = await smsThread(w.pano, "0912000444", sms.id);
    expect(thread.contact.identities).toEqual([{ channel_id: sms.id, channel_type: "sms", external_id: "0912000444" }]);
    expect(thread.messages.map((m) => m.text)).toEqual(["Tin từ +84912000444", "Tin từ 84912000444", "Tin từ 0912000444"]);
  });
});
