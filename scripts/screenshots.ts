// npm run screenshots: starts Pano with a small Vietnamese shop's morning (customers writing
// through the API channel; the team's reply, note and assignments through the REST API), drives
// Chromium and saves docs/screenshots/*.png for the README. Nothing here is drawn by hand.
import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { eventually, ROOT, startPano, tempDir, type PanoProcess } from "../tests/support/pano.ts";
import { customerWrites, launchBrowser, logIn, openPage } from "../tests/support/browser.ts";

const OUT = join(ROOT, "docs/screenshots");
const MINUTE = 60_000;
const REPLY_AFTER = 6 * MINUTE;

interface Customer { id: string; name: string; channel: "web" | "app"; minutesAgo: number; messages: string[]; phone?: string; email?: string }

const CUSTOMERS: Customer[] = [
  { id: "kh-lan", name: "Nguyễn Thị Lan", channel: "web", minutesAgo: 42, phone: "0903 123 456", email: "lan.nguyen@example.vn", messages: [
    "Shop ơi, mình đặt đơn DH2311 từ thứ Hai mà đến giờ vẫn chưa nhận được hàng.",
    "Tôi rất bức xúc! Gọi hotline 3 lần không ai nghe máy. Nếu hôm nay không giao thì hoàn tiền ngay cho tôi, không tôi báo lên sàn!",
  ] },
  { id: "kh-hung", name: "Phạm Văn Hùng", channel: "app", minutesAgo: 95, messages: ["Cho mình hỏi áo khoác gió size L còn màu xanh navy không ạ?"] },
  { id: "kh-ha", name: "Lê Thu Hà", channel: "web", minutesAgo: 18, messages: ["Mình muốn đổi địa chỉ giao hàng sang 12 Nguyễn Trãi, Quận 1 được không shop?"] },
  { id: "kh-minh", name: "Đỗ Quang Minh", channel: "app", minutesAgo: 7, messages: ["Nồi chiên không dầu bảo hành bao lâu vậy shop?", "Bảo hành ở đâu ạ?"] },
  { id: "kh-tram", name: "Võ Ngọc Trâm", channel: "web", minutesAgo: 3, messages: ["Shop có ship ra Đà Nẵng không, phí bao nhiêu ạ?"] },
  { id: "kh-bao", name: "Hoàng Gia Bảo", channel: "app", minutesAgo: 150, messages: ["Mã giảm giá GIAMGIA50 mình nhập không được, báo hết hạn."] },
];

async function seed(pano: PanoProcess) {
  const channel = async (name: string) => (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name } })).id as string;
  const channels = { web: await channel("Website shop"), app: await channel("Ứng dụng di động") };
  const team = await pano.json("/api/v1/teams", { method: "POST", json: { name: "Chăm sóc khách hàng", assignment: "manual" } });
  const agent = async (email: string, name: string) =>
    (await pano.json("/api/v1/users", { method: "POST", json: { email, name, password: "mat-khau-demo-123", team_ids: [team.id] } })).id as string;
  const minhAnh = await agent("minhanh@shop.vn", "Trần Minh Anh");
  const nam = await agent("nam@shop.vn", "Lê Hoàng Nam");
  await pano.json("/api/v1/canned-replies", { method: "POST", json: { shortcut: "xinloi", text: "Dạ em thành thật xin lỗi anh/chị vì sự bất tiện này." } });

  const conv: Record<string, string> = {};
  for (const c of CUSTOMERS) {
    for (const text of c.messages) {
      const ids = await customerWrites(pano, channels[c.channel], c.id, text, c.name);
      conv[c.id] = ids.conversation_id;
      if (c.phone || c.email) await pano.json(`/api/v1/contacts/${ids.contact_id}`, { method: "PATCH", json: { phone: c.phone, email: c.email } });
    }
  }
  // Triage classifies after the commit; the pictures should show what it said.
  await eventually(async () => (await pano.json(`/api/v1/conversations/${conv["kh-lan"]}`)).priority === "urgent", 10_000, "triage marks the complaint urgent");
  for (const id of Object.values(conv)) await eventually(async () => (await pano.json(`/api/v1/conversations/${id}`)).intent !== null, 10_000, "triage tags every conversation");

  const patch = (id: string, json: unknown) => pano.json(`/api/v1/conversations/${id}`, { method: "PATCH", json });
  const write = (id: string, text: string, priv = false) => pano.json(`/api/v1/conversations/${id}/messages`, { method: "POST", json: { text, private: priv } });
  await patch(conv["kh-lan"], { team_id: team.id, labels: ["giao-hàng", "vip"] });
  await write(conv["kh-lan"], "Đã gọi bên giao hàng: đơn DH2311 đang ở kho Thủ Đức, chiều nay giao. Tặng chị mã freeship lần sau.", true);
  await write(conv["kh-lan"], "Dạ em thành thật xin lỗi chị Lan. Đơn DH2311 đang ở kho Thủ Đức và sẽ được giao trong chiều nay ạ. Em gửi chị mã FREESHIP cho đơn sau nhé!");
  await patch(conv["kh-hung"], { assignee_id: minhAnh, team_id: team.id, labels: ["sản-phẩm"] });
  await patch(conv["kh-bao"], { assignee_id: nam, team_id: team.id, priority: "high" });
  await patch(conv["kh-ha"], { labels: ["giao-hàng"] });
  await eventually(async () => {
    const msgs = (await pano.json(`/api/v1/conversations/${conv["kh-lan"]}/messages`)).data as { status: string; private: boolean }[];
    return msgs.some((m) => !m.private && m.status === "sent");
  }, 10_000, "the reply is sent");
  return conv;
}

/** The demo happened "this morning": each conversation moves back as a whole, so the list shows
 *  real waiting times while messages and events keep their order. */
function backdate(dataDir: string, conv: Record<string, string>) {
  const db = new Database(join(dataDir, "pano.db"));
  db.exec("PRAGMA busy_timeout = 5000");
  db.transaction(() => {
    for (const c of CUSTOMERS) {
      const args = [c.minutesAgo * MINUTE, Number(conv[c.id]), REPLY_AFTER];
      // The team's note and reply came a few minutes after the customer, not in the same second.
      db.run("UPDATE messages SET created_at = created_at - ?1 + CASE WHEN author_type = 'user' THEN ?3 ELSE 0 END WHERE conversation_id = ?2", args);
      db.run("UPDATE audit_log SET created_at = created_at - ?1 WHERE conversation_id = ?2", args.slice(0, 2));
      db.run(`UPDATE conversations SET created_at = created_at - ?1, updated_at = updated_at - ?1, last_inbound_at = last_inbound_at - ?1,
        waiting_since = waiting_since - ?1, first_response_at = first_response_at - ?1 + ?3,
        last_message_at = (SELECT max(created_at) FROM messages WHERE conversation_id = ?2) WHERE id = ?2`, args);
    }
  })();
  db.close();
}

async function shot(page: Page, name: string) {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(OUT, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const dataDir = tempDir("pano-screenshots-");
  const first = await startPano({ dataDir, env: { PANO_LOG_LEVEL: "warn" } });
  let conv: Record<string, string>;
  try {
    conv = await seed(first);
  } finally {
    await first.stop();
  }
  backdate(dataDir, conv);
  const pano = await startPano({ dataDir, env: { PANO_LOG_LEVEL: "warn" } });
  const browser = await launchBrowser();
  try {
    const desk = await openPage(browser, { viewport: { width: 1440, height: 860 } });
    await desk.page.goto(`${pano.url}/login`);
    await shot(desk.page, "login");
    await logIn(desk.page, pano);
    await desk.page.goto(`${pano.url}/inbox?c=${conv["kh-hung"]}`);
    await desk.page.locator("#timeline .msg").first().waitFor();
    await shot(desk.page, "inbox");
    await desk.page.goto(`${pano.url}/inbox?c=${conv["kh-lan"]}`);
    await desk.page.locator("#timeline .msg.note").waitFor();
    await desk.page.locator("#reply-text").fill("/xin");
    await desk.page.locator("#canned li").first().waitFor();
    await shot(desk.page, "conversation");
    await desk.page.goto(`${pano.url}/settings/channels`);
    await shot(desk.page, "settings-channels");
    await desk.page.goto(`${pano.url}/reports`);
    await shot(desk.page, "reports");

    const phone = await openPage(browser, { viewport: { width: 390, height: 844 } });
    await logIn(phone.page, pano);
    await phone.page.locator("#conv-list .conv-row").first().waitFor();
    await shot(phone.page, "phone");

    await desk.page.goto(`${pano.url}/account`);
    await desk.page.locator("#pref-lang").selectOption("en");
    await desk.page.locator("#pref-lang").evaluate((el) => (el as HTMLSelectElement).form!.requestSubmit());
    await desk.page.waitForLoadState("load");
    await desk.page.goto(`${pano.url}/inbox?c=${conv["kh-lan"]}`);
    await desk.page.locator("#timeline .msg.note").waitFor();
    await shot(desk.page, "inbox-en");
  } finally {
    await browser.close();
    await pano.stop();
  }
}

await main();
