// npm run screenshots: starts Pano with a small Vietnamese shop's morning, drives Chromium and saves
// docs/screenshots/*.png for the README. Customers write the way they would in production: on Zalo
// and Messenger through the local simulators (tests/sim), by email through a real Dovecot, and on
// the website through the API channel; the team's replies, notes and assignments go through the REST
// API. Nothing here is drawn by hand except the customer's photo of her parcel.
import { Database } from "bun:sqlite";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { eventually, ROOT, startPano, tempDir, type PanoProcess } from "../tests/support/pano.ts";
import { customerWrites, launchBrowser, logIn, openPage } from "../tests/support/browser.ts";
import { startZaloSim, attachments, type ZaloSim } from "../tests/sim/zalo.ts";
import { startFacebookSim, type FacebookSim } from "../tests/sim/facebook.ts";
import { startDovecot, type Dovecot } from "../tests/support/dovecot.ts";
import { startSmtpPeer, type SmtpPeer } from "../tests/support/smtp-peer.ts";
import { mail } from "../tests/fixtures/email/mail.ts";

const OUT = join(ROOT, "docs/screenshots");
const MINUTE = 60_000;
const REPLY_AFTER = 6 * MINUTE;

type Channel = "zalo" | "messenger" | "web" | "email";
/** One conversation of the morning. `who` names the person: the same `who` on two channels is one customer. */
interface Scene { key: string; who: string; channel: Channel; minutesAgo: number; messages: string[]; photo?: string; subject?: string }

interface Person { name: string; phone?: string; email?: string; zaloId?: string; psid?: string; fbName?: [string, string] }

const PEOPLE: Record<string, Person> = {
  lan: { name: "Nguyễn Thị Lan", zaloId: "4100231887766554401" },
  hung: { name: "Phạm Văn Hùng", psid: "7000000000000101", fbName: ["Hùng", "Phạm"] },
  // Wrote on the website yesterday, then on Zalo today: Zalo shares her phone, Pano joins the two.
  ha: { name: "Lê Thu Hà", phone: "0912 345 678", email: "thuha.le@example.vn", zaloId: "4100231887766554402" },
  minh: { name: "Đỗ Quang Minh", zaloId: "4100231887766554403" },
  tram: { name: "Võ Ngọc Trâm", psid: "7000000000000102", fbName: ["Trâm", "Võ"] },
  bao: { name: "Hoàng Gia Bảo" },
  long: { name: "Nguyễn Hoàng Long", email: "long.nguyen@minhphat.vn" },
};

const SCENES: Scene[] = [
  { key: "lan", who: "lan", channel: "zalo", minutesAgo: 42, photo: "kien-hang-DH2311.png", messages: [
    "Shop ơi, mình đặt đơn DH2311 từ thứ Hai, 5 ngày rồi mà vẫn chưa nhận được hàng.",
    "Tôi rất bức xúc! Gọi hotline 3 lần không ai nghe máy. Nếu hôm nay không giao thì hoàn tiền ngay cho tôi, không tôi báo lên sàn!",
    "Ảnh kiện hàng shop gửi mình hôm đặt đây, mã vận đơn vẫn báo đang giao.",
  ] },
  { key: "hung", who: "hung", channel: "messenger", minutesAgo: 95, messages: [
    "Chào shop, áo khoác gió size L còn màu xanh navy không ạ?",
    "Mình cao 1m72, nặng 68kg thì nên lấy size L hay XL vậy shop?",
  ] },
  { key: "ha-web", who: "ha", channel: "web", minutesAgo: 26 * 60, messages: ["Shop ơi, váy hoa nhí còn size S không ạ? Mình muốn đặt 1 cái."] },
  { key: "ha-zalo", who: "ha", channel: "zalo", minutesAgo: 18, messages: [
    "Chào shop, mình là Hà, hôm qua đặt váy hoa nhí trên website (đơn DH2298).",
    "Mình muốn đổi địa chỉ giao hàng sang 12 Nguyễn Trãi, Quận 1 được không shop?",
  ] },
  { key: "minh", who: "minh", channel: "zalo", minutesAgo: 7, messages: ["Nồi chiên không dầu bảo hành bao lâu vậy shop?", "Bảo hành ở đâu ạ?"] },
  { key: "tram", who: "tram", channel: "messenger", minutesAgo: 3, messages: ["Shop có ship ra Đà Nẵng không, phí bao nhiêu ạ?"] },
  { key: "bao", who: "bao", channel: "web", minutesAgo: 150, messages: ["Mã giảm giá GIAMGIA50 mình nhập không được, báo hết hạn."] },
  { key: "long", who: "long", channel: "email", minutesAgo: 65, subject: "Báo giá 200 áo thun đồng phục công ty", messages: [
    "Chào shop,\n\nCông ty Minh Phát cần đặt 200 áo thun cổ tròn in logo, giao trước ngày 15/12.\nShop gửi giúp mình báo giá và mẫu vải nhé.\n\nTrân trọng,\nNguyễn Hoàng Long",
  ] },
];

interface World { zalo: ZaloSim; fb: FacebookSim; dovecot: Dovecot; smtp: SmtpPeer; fbPage: { pageId: string; appSecret: string; pageToken: string; verifyToken: string } }

async function startWorld(): Promise<World> {
  const fbPage = { pageId: "104729388112345", appSecret: "demo-app-secret-hoa-mai", pageToken: "EAAGdemoHoaMaiFashionPageToken", verifyToken: "hoa-mai-verify" };
  const [zalo, fb, dovecot, smtp] = await Promise.all([
    startZaloSim(), startFacebookSim({ ...fbPage, pageName: "Hoa Mai Fashion" }), startDovecot(), startSmtpPeer(),
  ]);
  for (const p of Object.values(PEOPLE)) {
    // No avatar: the simulators only have a 1-pixel picture, initials look like a real inbox.
    if (p.zaloId) zalo.addUser(p.zaloId, { display_name: p.name, avatar: "", phone: p.phone ? `84${p.phone.replace(/\D/g, "").slice(1)}` : undefined });
    if (p.psid && p.fbName) fb.addProfile(p.psid, p.fbName[0], p.fbName[1], "");
  }
  return { zalo, fb, dovecot, smtp, fbPage };
}

function panoEnv(w: World) {
  return { PANO_LOG_LEVEL: "warn", PANO_ZALO_API_URL: w.zalo.url, PANO_ZALO_OAUTH_URL: w.zalo.url, PANO_FACEBOOK_GRAPH_URL: w.fb.url, PANO_RETRY_BASE_MS: "200" };
}

/** A photo of a parcel with its shipping label, as a customer would snap it (rendered by Chromium). */
async function parcelPhoto(browser: Browser): Promise<Uint8Array> {
  const page = await browser.newPage({ viewport: { width: 320, height: 200 } });
  await page.setContent(`<body style="margin:0;background:linear-gradient(160deg,#d9d4cc,#b9b2a6)">
    <svg width="320" height="200" viewBox="0 50 480 300" xmlns="http://www.w3.org/2000/svg" style="font-family:DejaVu Sans,sans-serif">
      <ellipse cx="240" cy="318" rx="190" ry="22" fill="#000" opacity=".18"/>
      <polygon points="70,110 240,60 410,110 240,160" fill="#d6a36a"/>
      <polygon points="70,110 240,160 240,320 70,270" fill="#c18a4f"/>
      <polygon points="240,160 410,110 410,270 240,320" fill="#a8733d"/>
      <polygon points="150,86 240,112 240,160 150,134" fill="#e8d9b0" opacity=".9"/>
      <polygon points="240,112 330,86 330,134 240,160" fill="#d9c898" opacity=".9"/>
      <g transform="matrix(1,-0.294,0,1,262,200)">
        <rect x="0" y="0" width="128" height="86" fill="#fff" stroke="#999"/>
        <text x="8" y="17" font-size="11" font-weight="bold">GIAO HÀNG NHANH</text>
        <text x="8" y="33" font-size="10">Mã đơn: DH2311</text>
        <text x="8" y="47" font-size="9">Người nhận: Nguyễn Thị Lan</text>
        <text x="8" y="60" font-size="9">Q. Bình Thạnh, TP.HCM</text>
        <g fill="#111">${Array.from({ length: 22 }, (_, i) => `<rect x="${8 + i * 5}" y="66" width="${i % 3 ? 2 : 3}" height="14"/>`).join("")}</g>
      </g>
      <text x="96" y="220" font-size="15" fill="#6b4420" transform="rotate(17 96 220)">HOA MAI</text>
    </svg></body>`);
  const png = await page.screenshot({ type: "png" });
  await page.close();
  return new Uint8Array(png);
}

async function seed(pano: PanoProcess, w: World, photo: Uint8Array) {
  const channel = async (type: string, name: string, config?: unknown) => (await pano.json("/api/v1/channels", { method: "POST", json: { type, name, config } })).id as string;
  const channels: Record<Channel, string> = {
    zalo: await channel("zalo", "Shop Hoa Mai (Zalo)", w.zalo.channelConfig()),
    messenger: await channel("facebook", "Hoa Mai Fashion", {
      page_id: w.fbPage.pageId, page_access_token: w.fbPage.pageToken, app_secret: w.fbPage.appSecret, verify_token: w.fbPage.verifyToken, allow_human_agent_tag: false,
    }),
    web: await channel("api", "Website shop"),
    email: await channel("email", "Hộp thư shop", { imap: w.dovecot.imapConfig(), smtp: w.smtp.smtpConfig(), from_address: "shop@pano.test", from_name: "Hoa Mai Fashion" }),
  };
  const team = await pano.json("/api/v1/teams", { method: "POST", json: { name: "Chăm sóc khách hàng", assignment: "manual" } });
  const agent = async (email: string, name: string) =>
    (await pano.json("/api/v1/users", { method: "POST", json: { email, name, password: "mat-khau-demo-123", team_ids: [team.id] } })).id as string;
  const minhAnh = await agent("minhanh@shop.vn", "Trần Minh Anh");
  const nam = await agent("nam@shop.vn", "Lê Hoàng Nam");
  await pano.json("/api/v1/canned-replies", { method: "POST", json: { shortcut: "xinloi", text: "Dạ em thành thật xin lỗi anh/chị vì sự bất tiện này." } });
  const photoUrl = w.zalo.addFile(SCENES[0].photo!, photo, "image/png");

  const conversationOf = (externalId: string) => eventually(async () => {
    const list = (await pano.json(`/api/v1/contacts?q=${encodeURIComponent(externalId)}`)).data as any[];
    const hit = list.find((c) => c.identities?.some((i: any) => i.external_id === externalId));
    return hit?.conversation_ids?.length ? String(hit.conversation_ids[0]) : null;
  }, 10_000, `a conversation for ${externalId}`);
  const emailConversation = (subject: string) => eventually(async () =>
    ((await pano.json(`/api/v1/conversations?status=all&channel_id=${channels.email}`)).data as any[]).find((c) => c.subject === subject)?.id as string | undefined, 20_000, "the email conversation");

  // A joined customer has conversations on two channels: this is the Zalo one.
  const zaloConversation = (p: Person) => eventually(async () => {
    await conversationOf(p.zaloId!);
    const list = (await pano.json(`/api/v1/contacts?q=${encodeURIComponent(p.zaloId!)}`)).data as any[];
    for (const id of list.flatMap((c) => c.conversation_ids ?? [])) {
      if ((await pano.json(`/api/v1/conversations/${id}`)).channel_id === channels.zalo) return String(id);
    }
    return null;
  }, 10_000, `the Zalo conversation of ${p.name}`);

  const conv: Record<string, string> = {};
  const patch = (id: string, json: unknown) => pano.json(`/api/v1/conversations/${id}`, { method: "PATCH", json });
  const write = (id: string, text: string, priv = false) => pano.json(`/api/v1/conversations/${id}/messages`, { method: "POST", json: { text, private: priv } });
  for (const s of SCENES) {
    const p = PEOPLE[s.who];
    if (s.channel === "web") {
      for (const text of s.messages) {
        const ids = await customerWrites(pano, channels.web, `kh-${s.who}`, text, p.name);
        conv[s.key] = ids.conversation_id;
        if (p.phone || p.email) await pano.json(`/api/v1/contacts/${ids.contact_id}`, { method: "PATCH", json: { phone: p.phone, email: p.email } });
      }
    } else if (s.channel === "zalo") {
      for (const [i, text] of s.messages.entries()) {
        const photo = s.photo && i === s.messages.length - 1;
        if (photo) {
          // Triage and the team took the complaint before her photo came: the photo sits beside the note and reply.
          const id = await zaloConversation(p);
          await eventually(async () => (await pano.json(`/api/v1/conversations/${id}`)).priority === "urgent", 10_000, "triage marks the complaint urgent");
          await patch(id, { team_id: team.id, labels: ["giao-hàng", "vip"] });
        }
        const d = photo ? await w.zalo.userSends("image", p.zaloId!, { text, attachments: [attachments.image(photoUrl)] }) : await w.zalo.userSays(p.zaloId!, text);
        if (d.status !== 200) throw new Error(`Zalo delivery refused: ${d.status} ${d.answer}`);
      }
      conv[s.key] = await zaloConversation(p);
    } else if (s.channel === "messenger") {
      for (const text of s.messages) {
        const { delivery } = await w.fb.customerSays(p.psid!, text);
        if (delivery.status !== 200) throw new Error(`Messenger delivery refused: ${delivery.status} ${delivery.answer}`);
      }
      conv[s.key] = await conversationOf(p.psid!);
    } else {
      await w.dovecot.append([mail({ from: `${p.name} <${p.email}>`, to: "Hoa Mai Fashion <shop@pano.test>", subject: s.subject, text: s.messages[0] })]);
      conv[s.key] = await emailConversation(s.subject!);
    }
  }
  // Triage classifies after the commit; the pictures should show what it said.
  await eventually(async () => (await pano.json(`/api/v1/conversations/${conv.lan}`)).priority === "urgent", 10_000, "triage marks the complaint urgent");
  for (const id of Object.values(conv)) await eventually(async () => (await pano.json(`/api/v1/conversations/${id}`)).intent !== null, 10_000, "triage tags every conversation");
  // Hà's Zalo follower joins her website contact once Zalo shares her phone.
  await eventually(async () => (await pano.json(`/api/v1/conversations/${conv["ha-zalo"]}`)).contact_id === (await pano.json(`/api/v1/conversations/${conv["ha-web"]}`)).contact_id,
    10_000, "Hà's Zalo and website conversations on one profile");

  const sent = (id: string) => eventually(async () => {
    const msgs = (await pano.json(`/api/v1/conversations/${id}/messages?limit=100`)).data as any[];
    return msgs.find((m) => !m.private && m.direction === "out" && ["sent", "delivered", "read"].includes(m.status));
  }, 10_000, "the reply is sent");

  await write(conv.lan, "Đã gọi bên giao hàng: đơn DH2311 nằm ở kho Thủ Đức từ thứ Ba do sai số nhà, chiều nay giao. Tặng chị mã freeship lần sau.", true);
  await write(conv.lan, "Dạ em thành thật xin lỗi chị Lan. Đơn DH2311 bị kẹt ở kho Thủ Đức, bên giao hàng sẽ giao trong chiều nay ạ. Em gửi chị mã FREESHIP cho đơn sau nhé!");
  const reply = await sent(conv.lan);
  await w.zalo.receipts(PEOPLE.lan.zaloId!, [reply.external_id], true);
  await eventually(async () => ((await pano.json(`/api/v1/conversations/${conv.lan}/messages?limit=100`)).data as any[]).some((m) => m.status === "read"), 10_000, "Lan has seen the reply");

  await patch(conv.hung, { assignee_id: minhAnh, team_id: team.id, labels: ["sản-phẩm"] });
  await write(conv["ha-web"], "Dạ váy hoa nhí size S vẫn còn ạ, chị đặt trên website là bên em giao trong 2 ngày nhé!");
  await sent(conv["ha-web"]);
  await patch(conv["ha-web"], { status: "resolved" });
  await patch(conv["ha-zalo"], { team_id: team.id, labels: ["giao-hàng"] });
  await patch(conv.bao, { assignee_id: nam, team_id: team.id, priority: "high" });
  await patch(conv.long, { assignee_id: nam, labels: ["khách-sỉ"] });
  // The parcel photo is downloaded from Zalo after the commit: the shots need Pano's own copy.
  await eventually(async () => ((await pano.json(`/api/v1/conversations/${conv.lan}/messages?limit=100`)).data as any[])
    .some((m) => m.attachments?.some((a: any) => a.url?.startsWith(pano.url))), 10_000, "the parcel photo is stored");
  return conv;
}

/** The demo happened "this morning": each conversation moves back as a whole, so the list shows
 *  real waiting times while messages and events keep their order. */
function backdate(dataDir: string, conv: Record<string, string>) {
  const db = new Database(join(dataDir, "pano.db"));
  db.exec("PRAGMA busy_timeout = 5000");
  db.transaction(() => {
    for (const s of SCENES) {
      const args = [s.minutesAgo * MINUTE, Number(conv[s.key]), REPLY_AFTER];
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
  const world = await startWorld();
  const browser = await launchBrowser();
  let pano: PanoProcess | undefined;
  try {
    const first = await startPano({ dataDir, env: panoEnv(world) });
    world.zalo.setPano(first.url);
    world.fb.setPano(first.url);
    let conv: Record<string, string>;
    try {
      conv = await seed(first, world, await parcelPhoto(browser));
    } catch (err) {
      console.error(first.logs());
      throw err;
    } finally {
      await first.stop();
    }
    backdate(dataDir, conv);
    pano = await startPano({ dataDir, env: panoEnv(world) });
    world.zalo.setPano(pano.url);
    world.fb.setPano(pano.url);

    const openComplaint = async (page: Page) => {
      await page.goto(`${pano!.url}/inbox?c=${conv.lan}`);
      await page.locator("#timeline .msg.note").waitFor();
      // The photo loads after the timeline scrolled to the end; scroll again so the reply shows.
      await page.locator("#timeline img").first().evaluate((img: HTMLImageElement) => img.decode());
      await page.locator("#timeline").evaluate((tl) => (tl.scrollTop = tl.scrollHeight));
    };
    const desk = await openPage(browser, { viewport: { width: 1440, height: 860 } });
    await desk.page.goto(`${pano.url}/login`);
    await shot(desk.page, "login");
    await logIn(desk.page, pano);
    await desk.page.goto(`${pano.url}/inbox?c=${conv.hung}`);
    await desk.page.locator("#timeline .msg").first().waitFor();
    await shot(desk.page, "inbox");
    await desk.page.goto(`${pano.url}/inbox?c=${conv["ha-zalo"]}`);
    await desk.page.locator("#contact-pane .history li").nth(1).waitFor();
    await shot(desk.page, "contact");
    await openComplaint(desk.page);
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
    await Promise.all([
      desk.page.waitForNavigation(),
      desk.page.locator("#pref-lang").evaluate((el) => (el as HTMLSelectElement).form!.requestSubmit()),
    ]);
    await openComplaint(desk.page);
    await shot(desk.page, "inbox-en");
  } finally {
    await browser.close();
    await pano?.stop();
    await Promise.all([world.zalo.stop(), world.fb.stop(), world.dovecot.stop(), world.smtp.stop()]);
  }
}

await main();
