// Story: an admin fills in an SMS channel in Settings and presses "Test connection". Pano says
// exactly what is wrong, in Vietnamese: the phone cannot be reached, it refuses the credentials, or
// it will not take Pano's webhook address; eSMS's keys are checked against its balance call.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPano, eventually, ADMIN, type PanoProcess } from "./support/pano.ts";
import { refusedPort } from "./support/refused-port.ts";
import { signIn, type PageSession } from "./settings-session.ts";
import { smsGateway } from "./sim/sms-gateway.ts";
import { esmsApi } from "./sim/esms.ts";
import { GATEWAY_LOGIN, ESMS_KEYS, esmsEnv } from "./support/sms.ts";

let pano: PanoProcess;
let gw: ReturnType<typeof smsGateway>;
let esms: ReturnType<typeof esmsApi>;
let admin: PageSession;

beforeAll(async () => {
  gw = smsGateway(GATEWAY_LOGIN);
  esms = esmsApi(ESMS_KEYS);
  pano = await startPano({ env: esmsEnv(esms) });
  admin = await signIn(pano, ADMIN.email, ADMIN.password);
}, 60_000);
afterAll(async () => {
  await pano?.stop();
  gw?.stop();
  esms?.stop();
});

const gatewayForm = (change: Record<string, string> = {}) => ({
  type: "sms", name: "SMS cửa hàng", "config.provider": "android_gateway", "config.base_url": gw.url,
  "config.username": GATEWAY_LOGIN.username, "config.password": GATEWAY_LOGIN.password, "config.signing_key": GATEWAY_LOGIN.signingKey,
  ...change,
});
const esmsForm = (change: Record<string, string> = {}) => ({
  type: "sms", name: "Brandname", "config.provider": "esms", "config.api_key": ESMS_KEYS.apiKey, "config.secret_key": ESMS_KEYS.secretKey,
  "config.brandname": ESMS_KEYS.brandnames[0], "config.sms_type": "2", ...change,
});
const said = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("testing an Android SMS gateway", () => {
  test("a working phone: the four webhooks are taken, then removed again since nothing was saved", async () => {
    const r = await admin.post("/settings/channels/test", gatewayForm());
    expect(r.status).toBe(200);
    expect(said(r.html)).toContain("Kết nối được với cổng SMS; đã đăng ký 4 webhook của Pano.");
    expect(gw.webhooks.size).toBe(0);
    expect(gw.requests.filter((q) => q.method === "POST" && q.path === "/webhooks")).toHaveLength(4);
    expect((await pano.json("/api/v1/channels")).data).toHaveLength(0);
  });

  test("a phone that is not there is named unreachable", async () => {
    const closed = await refusedPort();
    try {
      const r = await admin.post("/settings/channels/test", gatewayForm({ "config.base_url": `http://127.0.0.1:${closed.port}` }));
      expect(said(r.html)).toContain(`Không kết nối được cổng SMS tại http://127.0.0.1:${closed.port}:`);
      expect(said(r.html)).toContain("Hãy kiểm tra điện thoại đang bật Local/Cloud server và địa chỉ đúng.");
    } finally {
      closed.close();
    }
  });

  test("a wrong password is named as refused credentials", async () => {
    const r = await admin.post("/settings/channels/test", gatewayForm({ "config.password": "sai-mat-khau" }));
    expect(said(r.html)).toContain("Cổng SMS từ chối tên đăng nhập hoặc mật khẩu (HTTP 401).");
  });

  test("a phone that will not take the webhook address says so, with the gateway's reason", async () => {
    gw.set("refuse_webhooks");
    try {
      const r = await admin.post("/settings/channels/test", gatewayForm());
      expect(said(r.html)).toMatch(new RegExp(`Cổng SMS không nhận địa chỉ webhook ${pano.url}/webhooks/sms/[A-Za-z0-9_-]+/events: webhook URL must be HTTPS`));
    } finally {
      gw.set("ok");
    }
  });

  test("a saved channel whose phone refuses the webhooks shows the reason, recovers once the phone takes them, and takes them off when deleted", async () => {
    gw.set("refuse_webhooks");
    const saved = await admin.post("/settings/channels/new/sms", gatewayForm());
    expect(saved.status).toBe(303);
    const list = await pano.json("/api/v1/channels");
    const id = list.data[0].id;
    const failing = await eventually(async () => {
      const ch = await pano.json(`/api/v1/channels/${id}`);
      return ch.status === "error" ? ch : null;
    }, 15_000, "the channel to show the refusal");
    expect(failing.status_detail ?? "").toContain("webhook URL must be HTTPS");
    gw.set("ok");
    // Saving again registers at once.
    const again = await admin.post(`/settings/channels/${id}`, gatewayForm({ "config.password": "" }));
    expect(again.status).toBe(303);
    await eventually(() => gw.webhooks.size === 4, 15_000, "the webhooks registered after the save");
    await eventually(async () => (await pano.json(`/api/v1/channels/${id}`)).status === "active", 15_000, "the channel active again");
    // Deleting the channel takes its webhooks off the phone.
    expect((await admin.post(`/settings/channels/${id}/delete`, {})).status).toBe(303);
    await eventually(() => gw.webhooks.size === 0, 15_000, "the webhooks removed from the phone");
  });
});

describe("testing eSMS", () => {
  test("good keys: eSMS's balance is shown", async () => {
    esms.setBalance(1_250_000);
    const r = await admin.post("/settings/channels/test", esmsForm());
    expect(said(r.html)).toContain("eSMS chấp nhận ApiKey/SecretKey. Số dư tài khoản: 1.250.000 đ.");
  });

  test("wrong keys are named", async () => {
    const r = await admin.post("/settings/channels/test", esmsForm({ "config.secret_key": "SAI" }));
    expect(said(r.html)).toContain("Sai ApiKey hoặc SecretKey eSMS.");
  });

  test("eSMS out of reach is named", async () => {
    esms.setDown(true);
    try {
      const r = await admin.post("/settings/channels/test", esmsForm());
      expect(said(r.html)).toContain("Không kết nối được eSMS:");
    } finally {
      esms.setDown(false);
    }
  });
});
