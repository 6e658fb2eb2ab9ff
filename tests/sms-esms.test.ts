// Brandname SMS through eSMS.vn: an agent texts a customer who ordered on the website, the text
// leaves once with Pano's RequestId and a CallbackUrl, eSMS's delivery report marks it delivered,
// and every refusal eSMS documents ends the message failed with a reason the agent can act on.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess, ADMIN } from "./support/pano.ts";
import { esmsApi } from "./sim/esms.ts";
import { esmsChannel, esmsEnv, messageOf, ESMS_KEYS } from "./support/sms.ts";
import { signIn, type PageSession } from "./settings-session.ts";

let pano: PanoProcess;
let api: ReturnType<typeof esmsApi>;
let sms: { id: string };
let shop: string;
let agent: PageSession;

beforeAll(async () => {
  api = esmsApi(ESMS_KEYS);
  pano = await startPano({ env: { ...esmsEnv(api), PANO_RETRY_BASE_MS: "200" } });
  sms = await esmsChannel(pano);
  shop = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
  agent = await signIn(pano, ADMIN.email, ADMIN.password);
}, 60_000);
afterAll(async () => {
  await pano.stop();
  api.stop();
});

/** A customer who ordered on the website with this phone, as written on the order. */
async function customer(ref: string, phone: string): Promise<string> {
  const r = await pano.json(`/api/v1/channels/${shop}/inbound`, { method: "POST", json: { external_contact_id: ref, contact_name: `Khách ${ref}`, external_message_id: `order-${ref}`, text: `Đơn hàng ${ref}`, phone } });
  return r.contact_id;
}

async function textThem(contactId: string, text: string) {
  return pano.json("/api/v1/conversations", { method: "POST", json: { contact_id: contactId, channel_id: sms.id, text } });
}

const settled = (conversationId: string, messageId: string, status: string) =>
  eventually(async () => {
    const m = await messageOf(pano, conversationId, messageId);
    return m?.status === status ? m : null;
  }, 15_000, `message ${messageId} ${status}`);

describe("eSMS brandname", () => {
  test("a text goes out once with the brandname, Unicode for diacritics, RequestId and CallbackUrl; the report marks it delivered", async () => {
    const contactId = await customer("DH2001", "+84 903.123.456");
    const started = await textThem(contactId, "Chào chị, đơn DH2001 đã được giao cho đơn vị vận chuyển.");
    const send = await eventually(() => api.sends.find((s) => s.Content.includes("DH2001")), 15_000, "the send at eSMS");
    expect(send).toMatchObject({ ApiKey: ESMS_KEYS.apiKey, SecretKey: ESMS_KEYS.secretKey, Phone: "0903123456", Brandname: "SHOPXINH", SmsType: "2", IsUnicode: "1" });
    expect(send.RequestId).toMatch(/^pano-[0-9a-f]{10}-\d+$/);
    expect(send.CallbackUrl).toMatch(new RegExp(`^${pano.url}/webhooks/sms/[A-Za-z0-9_-]{16,64}/events$`));
    const sent = await settled(started.id, started.message.id, "sent");
    expect(sent.external_id).toBe(send.SMSID);

    const report = await api.report(send, "delivered");
    expect(report.status).toBe(200);
    await settled(started.id, started.message.id, "delivered");
  });

  test("plain text goes as IsUnicode 0", async () => {
    const contactId = await customer("DH2002", "0903123457");
    const started = await textThem(contactId, "Don DH2002 da giao thanh cong. Cam on quy khach!");
    const send = await eventually(() => api.sends.find((s) => s.Content.includes("DH2002")), 15_000, "the send at eSMS");
    expect(send.IsUnicode).toBe("0");
    await settled(started.id, started.message.id, "sent");
    await api.report(send, "failed");
    const failed = await settled(started.id, started.message.id, "failed");
    expect(failed.error).toBe("The network reports the message did not reach the customer's phone.");
  });

  test("a send whose answer was lost is retried with the same RequestId and leaves eSMS once", async () => {
    const contactId = await customer("DH2003", "0903123458");
    api.failNext("lost");
    const started = await textThem(contactId, "Đơn DH2003: shop sẽ gọi xác nhận trong 15 phút.");
    const sent = await settled(started.id, started.message.id, "sent");
    const sends = api.sends.filter((s) => s.Content.includes("DH2003"));
    expect(sends).toHaveLength(1);
    expect(api.refused.filter((r) => r.code === "124" && r.body.Content.includes("DH2003"))).toHaveLength(1);
    expect(sent.external_id).toBe(sends[0].RequestId);
  });

  const REASONS: [string, string, string][] = [
    ["99", "The phone number is blocked from receiving messages on eSMS.", "Số điện thoại đã bị chặn nhận tin trên hệ thống eSMS."],
    ["101", "Wrong eSMS ApiKey or SecretKey.", "Sai ApiKey hoặc SecretKey eSMS."],
    ["102", "The eSMS account has no price list for this message type.", "Tài khoản eSMS chưa có bảng giá cho loại tin này."],
    ["103", "Not enough balance on the eSMS account to send.", "Tài khoản eSMS không đủ số dư để gửi tin."],
    ["104", "The brandname does not exist or is not approved on the eSMS account.", "Brandname không tồn tại hoặc chưa được duyệt trong tài khoản eSMS."],
    ["108", "eSMS says the phone number is not in a valid format.", "eSMS báo số điện thoại không đúng định dạng."],
    ["118", "eSMS does not support this message type.", "Loại tin nhắn không được eSMS hỗ trợ."],
    ["140", "The Pano server's IP address is not allowed to send through eSMS.", "Địa chỉ IP của máy chủ Pano chưa được eSMS cho phép gửi tin."],
    ["146", "The text does not match a customer care template registered with eSMS.", "Nội dung không khớp mẫu tin chăm sóc khách hàng đã đăng ký với eSMS."],
    ["177", "This number's network is not registered for the brandname.", "Nhà mạng của số này chưa được đăng ký cho brandname."],
    ["555", "eSMS refused the message (code 555): Unknown error", "eSMS từ chối tin nhắn (mã 555): Unknown error"],
  ];

  test("a customer without a valid mobile number is refused before eSMS is called", async () => {
    const contactId = await customer("DH2005", "028 3822 1234");
    const before = api.sends.length + api.refused.length;
    const r = await pano.api("/api/v1/conversations", { method: "POST", json: { contact_id: contactId, channel_id: sms.id, text: "Xin chào" } });
    expect(r.status).toBe(422);
    expect((await r.json()).error).toEqual({ code: "no_phone", message: "Khách hàng chưa có số di động Việt Nam hợp lệ: không nhắn SMS được." });
    expect(api.sends.length + api.refused.length).toBe(before);
  });

  test("each refusal eSMS documents ends the message failed, with its reason in English and Vietnamese", async () => {
    const contactId = await customer("DH2004", "0903123459");
    const started = await textThem(contactId, "Shop xin chào chị, shop gửi thông tin đơn DH2004.");
    await settled(started.id, started.message.id, "sent");
    for (const [code, en, vi] of REASONS) {
      api.failNext(code);
      const reply = await pano.json(`/api/v1/conversations/${started.id}/messages`, { method: "POST", json: { text: `Tin thử mã ${code}` } });
      const failed = await settled(started.id, reply.id, "failed");
      expect({ code, error: failed.error }).toEqual({ code, error: en });
      const page = await agent.get(`/inbox?c=${started.id}`);
      expect(page.html).toContain(vi);
    }
    // Wrong keys, brandname, price list or IP are the account's: the channel asks the admin for attention.
    const ch = await pano.json(`/api/v1/channels/${sms.id}`);
    expect(ch.status).toBe("needs_reconnect");
  });

});
