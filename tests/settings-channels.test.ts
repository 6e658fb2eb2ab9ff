// Stories of an admin connecting channels from Settings: validation in the reader's language,
// secrets never sent back, the connection test, pause, and the audit trail.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, ADMIN, type PanoProcess } from "./support/pano.ts";
import { signIn, auditRows, fieldError, type PageSession } from "./settings-session.ts";

let pano: PanoProcess;
let admin: PageSession;
const pings: { signature: string | null; body: any }[] = [];
const receiver = Bun.serve({
  port: 0,
  async fetch(req) {
    pings.push({ signature: req.headers.get("x-pano-signature"), body: await req.json() });
    return new Response("ok");
  },
});

beforeAll(async () => {
  // Zalo's token refresher must never leave the machine in a test: point it at nothing.
  pano = await startPano({ env: { PANO_ZALO_API_URL: "http://127.0.0.1:9", PANO_ZALO_OAUTH_URL: "http://127.0.0.1:9" } });
  admin = await signIn(pano, ADMIN.email, ADMIN.password);
});
afterAll(async () => {
  await pano?.stop();
  receiver.stop(true);
});

test("a wrong callback URL is refused beside the field, in Vietnamese, and the typed secret is not sent back", async () => {
  const r = await admin.post("/settings/channels/new/api", { name: "Website chat", "config.callback_url": "khong-phai-url", "config.callback_secret": "bi-mat-rat-dai-123" });
  expect(r.status).toBe(422);
  expect(fieldError(r.html, "config.callback_url")).toBe("Không phải địa chỉ URL hợp lệ (https://…)");
  expect(r.html).toContain("Vui lòng sửa các lỗi bên dưới.");
  expect(r.html).toContain('value="Website chat"');
  expect(r.html).not.toContain("bi-mat-rat-dai-123");
  expect((await pano.json("/api/v1/channels")).data).toHaveLength(0);
});

test("an admin adds an API channel, sees where to post messages, and the secret never comes back", async () => {
  const r = await admin.post("/settings/channels/new/api", { name: "Website chat", "config.callback_url": `http://127.0.0.1:${receiver.port}/pano`, "config.callback_secret": "bi-mat-rat-dai-123" });
  expect(r.status).toBe(303);
  const id = /\/settings\/channels\/(\d+)\?notice=saved/.exec(r.location ?? "")?.[1];
  expect(id).toBeDefined();

  const page = await admin.get(r.location!);
  expect(page.html).toContain("Đã lưu.");
  expect(page.html).toContain(`${pano.url}/api/v1/channels/${id}/inbound`);
  expect(page.html).not.toContain("bi-mat-rat-dai-123");
  expect(page.html).toContain("Để trống để giữ giá trị hiện tại");

  const list = await admin.get("/settings/channels");
  expect(list.html).toContain("Website chat");
  expect(list.html).toContain("Đang hoạt động");
  expect(auditRows(pano, "channel.created")).toHaveLength(1);

  // Saving again with the secret left blank keeps it: the connection test still signs with it.
  const saved = await admin.post(`/settings/channels/${id}`, { name: "Website chat (mới)", "config.callback_url": `http://127.0.0.1:${receiver.port}/pano`, "config.callback_secret": "" });
  expect(saved.status).toBe(303);
  const test = await admin.post("/settings/channels/test", { type: "api", channel_id: id!, name: "Website chat (mới)", "config.callback_url": `http://127.0.0.1:${receiver.port}/pano`, "config.callback_secret": "" });
  expect(test.html).toContain("Callback URL trả lời HTTP 200.");
  expect(test.html).not.toContain("bi-mat-rat-dai-123");
  const ping = pings.at(-1)!;
  expect(ping.body.event).toBe("ping");
  const expected = new Bun.CryptoHasher("sha256", "bi-mat-rat-dai-123").update(JSON.stringify(ping.body)).digest("hex");
  expect(ping.signature).toBe(`sha256=${expected}`);
  expect(auditRows(pano, "channel.updated").at(-1)!.subject_id).toBe(Number(id));
});

test("a Facebook Page form shows the webhook URL and names each wrong field", async () => {
  const form = await admin.get("/settings/channels/new/facebook");
  expect(form.status).toBe(200);
  expect(form.html).toContain(`${pano.url}/webhooks/facebook`);
  const r = await admin.post("/settings/channels/new/facebook", { name: "Fanpage", "config.page_id": "abc", "config.page_access_token": "", "config.app_secret": "12345678", "config.verify_token": "ngan", "config.allow_human_agent_tag": "false" });
  expect(r.status).toBe(422);
  expect(fieldError(r.html, "config.page_id")).toBe("Không đúng định dạng");
  expect(fieldError(r.html, "config.page_access_token")).toBe("Bắt buộc nhập");
  expect(fieldError(r.html, "config.verify_token")).toBe("Quá ngắn (ít nhất 8 ký tự)");
  expect(r.html).not.toContain('value="12345678"');
});

test("a Zalo OA is added with the webhook URL to paste into Zalo, then offers 'Connect with Zalo'", async () => {
  const form = await admin.get("/settings/channels/new/zalo");
  expect(form.html).toContain(`${pano.url}/webhooks/zalo`);
  const r = await admin.post("/settings/channels/new/zalo", { name: "Zalo cửa hàng", "config.oa_id": "4318329811", "config.app_id": "1234567890", "config.app_secret": "app-secret-zalo", "config.oa_secret_key": "oa-secret-zalo" });
  expect(r.status).toBe(303);
  const page = await admin.get(r.location!);
  const id = /\/settings\/channels\/(\d+)/.exec(r.location!)![1];
  expect(page.html).toContain(`href="/zalo/oauth/start/${id}"`);
  expect(page.html).toContain("Kết nối với Zalo");
  expect(page.html).not.toContain("app-secret-zalo");
  expect(page.html).not.toContain("oa-secret-zalo");
  const dup = await admin.post("/settings/channels/new/zalo", { name: "Trùng", "config.oa_id": "4318329811", "config.app_id": "1", "config.app_secret": "x", "config.oa_secret_key": "y" });
  expect(dup.status).toBe(422);
  expect(dup.html).toContain("Đã có kênh Zalo OA cho 4318329811.");
  expect((await admin.post(`/settings/channels/${id}/delete`, {})).status).toBe(303);
  expect((await admin.get("/settings/channels")).html).not.toContain("Zalo cửa hàng");
});

test("an email channel's form has IMAP and SMTP sections whose fields are checked one by one", async () => {
  const form = await admin.get("/settings/channels/new/email");
  expect(form.status).toBe(200);
  expect(form.html).toContain("Hộp thư đến (IMAP)");
  expect(form.html).toContain("Gửi thư (SMTP)");
  const r = await admin.post("/settings/channels/new/email", {
    name: "Hộp thư hỗ trợ", "config.from_address": "hotro@shop.vn",
    "config.imap.host": "", "config.imap.port": "993", "config.imap.secure": ["false", "true"], "config.imap.user": "hotro", "config.imap.password": "mat-khau-imap",
    "config.smtp.host": "smtp.shop.vn", "config.smtp.port": "abc", "config.smtp.secure": "false", "config.smtp.user": "hotro", "config.smtp.password": "mat-khau-smtp",
  });
  expect(r.status).toBe(422);
  expect(fieldError(r.html, "config.imap.host")).toBe("Bắt buộc nhập");
  expect(fieldError(r.html, "config.smtp.port")).toBe("Phải là một số");
  expect(r.html).not.toContain("mat-khau-imap");
  expect(r.html).not.toContain("mat-khau-smtp");
});

test("the same errors read in English for an admin who chose English", async () => {
  await admin.post("/account/language", { language: "en" });
  try {
    const r = await admin.post("/settings/channels/new/api", { name: "", "config.callback_url": "nope" });
    expect(r.status).toBe(422);
    expect(fieldError(r.html, "name")).toBe("Required");
    expect(fieldError(r.html, "config.callback_url")).toContain("URL");
    expect(r.html).toContain("Please fix the errors below.");
  } finally {
    await admin.post("/account/language", { language: "vi" });
  }
});

test("pausing a channel shows it paused and is audited; a form without the CSRF token changes nothing", async () => {
  const ch = (await pano.json("/api/v1/channels")).data.find((c: any) => c.type === "api");
  const forged = await admin.post(`/settings/channels/${ch.id}/pause`, {}, { csrf: false });
  expect(forged.status).toBe(403);
  expect((await pano.json(`/api/v1/channels/${ch.id}`)).status).toBe("active");

  expect((await admin.post(`/settings/channels/${ch.id}/pause`, {})).status).toBe(303);
  expect((await pano.json(`/api/v1/channels/${ch.id}`)).status).toBe("paused");
  expect((await admin.get("/settings/channels")).html).toContain("Tạm dừng");
  expect(auditRows(pano, "channel.paused")[0].actor_id).not.toBeNull();
  expect((await admin.post(`/settings/channels/${ch.id}/resume`, {})).status).toBe(303);
  expect((await pano.json(`/api/v1/channels/${ch.id}`)).status).toBe("active");
});
