// The website chat's public visitor API, at the HTTP level: a channel hands out its widget token,
// sessions are signed (a forged one sees nothing), other websites get 403, floods get 429 with
// Retry-After, text stays text, files are judged by their bytes, and a verified customer joins
// their profile while a wrong hash joins nothing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { startPano, eventually, ADMIN, type PanoProcess } from "./support/pano.ts";
import { signIn } from "./settings-session.ts";

const SHOP = "https://shop.example";
let pano: PanoProcess;
let channel: { id: string; widget_token: string };

const visitor = (path: string, init: RequestInit & { sess?: string; origin?: string; json?: unknown } = {}) => {
  const { sess, origin, json, ...rest } = init;
  const headers = new Headers(init.headers);
  headers.set("origin", origin ?? pano.url);
  if (sess) headers.set("x-pano-session", sess);
  let body = rest.body;
  if (json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(json);
  }
  return fetch(`${pano.url}/chat/api/${path}`, { ...rest, headers, body });
};
const newSession = async (extra: Record<string, unknown> = {}) => {
  const r = await visitor("session", { method: "POST", json: { token: channel.widget_token, origin: SHOP, ...extra } });
  expect(r.status).toBe(200);
  return (await r.json()) as { session: string; verified: boolean };
};
const write = (session: string, text: string, extra: Record<string, unknown> = {}) =>
  visitor("messages", { method: "POST", sess: session, json: { client_id: crypto.randomUUID().replace(/-/g, ""), text, ...extra } });
const transcript = async (session: string) => ((await (await visitor("messages?after=0", { sess: session })).json()) as { items: { id: number; mine: boolean; text: string; author: string | null; files: { url: string; type: string; size: number }[] }[] }).items;

beforeAll(async () => {
  // Behind a reverse proxy (as most shops run Pano): the per-address limits must count visitors, not the proxy.
  pano = await startPano({ env: { PANO_TRUST_PROXY: "1" } });
  channel = await pano.json("/api/v1/channels", {
    method: "POST",
    json: { type: "web_chat", name: "Website", config: { allowed_origins: [SHOP], identity_secret: "bi-mat-cua-shop-0123456789", pre_chat: { email: "optional" } } },
  });
});
afterAll(async () => {
  await pano?.stop();
});

describe("website chat: the visitor API", () => {
  test("the channel object carries a public widget_token and no secret; allowed_origins is required", async () => {
    expect(channel.widget_token).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    const again = await pano.json(`/api/v1/channels/${channel.id}`);
    expect(again.widget_token).toBe(channel.widget_token);
    expect(JSON.stringify(again)).not.toContain("bi-mat");
    expect(JSON.stringify(again)).not.toContain("session_key");
    const bad = await pano.api("/api/v1/channels", { method: "POST", json: { type: "web_chat", name: "x", config: {} } });
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.message).toContain("allowed_origins");
  });

  test("widget.js is served to any page and is small", async () => {
    const r = await fetch(`${pano.url}/widget.js`, { headers: { "accept-encoding": "gzip" } });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toContain("javascript");
    expect(r.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    const raw = await (await fetch(`${pano.url}/widget.js`)).arrayBuffer();
    expect(Bun.gzipSync(new Uint8Array(raw)).byteLength).toBeLessThanOrEqual(15 * 1024);
  });

  test("another website is refused with 403: the session, the API and the frame", async () => {
    const s = await visitor("session", { method: "POST", origin: "https://evil.example", json: { token: channel.widget_token, origin: SHOP } });
    expect(s.status).toBe(403);
    const claimed = await visitor("session", { method: "POST", json: { token: channel.widget_token, origin: "https://evil.example" } });
    expect(claimed.status).toBe(403);
    const { session } = await newSession();
    expect((await visitor("messages?after=0", { sess: session, origin: "https://evil.example" })).status).toBe(403);
    const frame = await fetch(`${pano.url}/chat/frame?token=${channel.widget_token}&origin=${encodeURIComponent(SHOP)}`, { headers: { referer: "https://evil.example/page" } });
    expect(frame.status).toBe(403);
    const ok = await fetch(`${pano.url}/chat/frame?token=${channel.widget_token}&origin=${encodeURIComponent(SHOP)}`, { headers: { referer: `${SHOP}/san-pham` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-security-policy")).toContain(`frame-ancestors 'self' ${SHOP}`);
  });

  test("a visitor writes; HTML stays text; the agent's reply is in their transcript with the agent's name", async () => {
    const { session } = await newSession();
    expect((await write(session, "<b>Chào shop</b> <img src=x onerror=alert(1)>", { visitor: { email: "lan@example.com" } })).status).toBe(201);
    const conv = await eventually(async () => (await pano.json("/api/v1/conversations?channel_id=" + channel.id)).data[0]);
    const msgs = (await pano.json(`/api/v1/conversations/${conv.id}/messages`)).data;
    expect(msgs[0].text).toBe("<b>Chào shop</b> <img src=x onerror=alert(1)>");
    await pano.json(`/api/v1/conversations/${conv.id}/messages`, { method: "POST", json: { text: "Dạ shop chào bạn" } });
    const items = await eventually(async () => ((await transcript(session)).length === 2 ? transcript(session) : null));
    expect(items[0]).toMatchObject({ mine: true, text: "<b>Chào shop</b> <img src=x onerror=alert(1)>" });
    expect(items[1]).toMatchObject({ mine: false, text: "Dạ shop chào bạn" });
    expect(items[1].author).toBeTruthy();
    // The typed email of an anonymous visitor is a note, not a key: no contact got it.
    expect((await pano.json(`/api/v1/contacts/${conv.contact_id}`)).email).toBeNull();
  });

  test("the agent's contact panel shows the visitor's current page, referrer and browser", async () => {
    const { session } = await newSession();
    const r = await visitor("messages", {
      method: "POST", sess: session, headers: { "user-agent": "Mozilla/5.0 (iPhone) Safari/604.1" },
      json: { client_id: crypto.randomUUID().replace(/-/g, ""), text: "Giá bó hoa này bao nhiêu?", page: `${SHOP}/hoa/bo-hong-do`, referrer: "https://www.google.com/" },
    });
    expect(r.status).toBe(201);
    const convs = (await pano.json(`/api/v1/conversations?channel_id=${channel.id}`)).data as { id: string; contact_id: string }[];
    const conv = await eventually(async () => {
      for (const c of convs) if ((await pano.json(`/api/v1/conversations/${c.id}/messages`)).data.some((m: { text: string }) => m.text === "Giá bó hoa này bao nhiêu?")) return c;
      return null;
    });
    const admin = await signIn(pano, ADMIN.email, ADMIN.password);
    const panel = await admin.get(`/contacts/${conv.contact_id}/panel?c=${conv.id}`);
    expect(panel.status).toBe(200);
    const context = /<dl class="contact-context">(.*?)<\/dl>/s.exec(panel.html)?.[1] ?? "";
    expect(context).toContain("<dt>Trang đang xem</dt><dd class=\"break\">https://shop.example/hoa/bo-hong-do</dd>");
    expect(context).toContain("<dt>Đến từ</dt><dd class=\"break\">https://www.google.com/</dd>");
    expect(context).toContain("<dt>Trình duyệt</dt><dd class=\"break\">Mozilla/5.0 (iPhone) Safari/604.1</dd>");
  });

  test("a forged or altered session sees nothing; another visitor's session sees only their own", async () => {
    const a = await newSession();
    await write(a.session, "tin của khách A");
    const b = await newSession();
    expect(await transcript(b.session)).toEqual([]);
    const [body, sig] = a.session.split(".");
    const forgedBody = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, "base64url").toString()), s: "v_someone_else" })).toString("base64url");
    for (const forged of [`${forgedBody}.${sig}`, `${body}.${"A".repeat(sig.length)}`, "rubbish", ""]) {
      const r = await visitor("messages?after=0", { sess: forged });
      expect(r.status).toBe(401);
      expect((await visitor("messages", { method: "POST", sess: forged, json: { client_id: "abcdefgh12", text: "x" } })).status).toBe(401);
    }
  });

  test("text over the limit is refused with a clear code; an .exe named .png is refused by its bytes; a real PNG is kept", async () => {
    const { session } = await newSession();
    const long = await write(session, "a".repeat(5001));
    expect(long.status).toBe(413);
    expect((await long.json()).error.code).toBe("text_too_long");
    const upload = (bytes: Uint8Array, name: string, type: string) => {
      const form = new FormData();
      form.append("client_id", crypto.randomUUID().replace(/-/g, ""));
      form.append("file", new File([bytes as BlobPart], name, { type }));
      return visitor("messages", { method: "POST", sess: session, body: form });
    };
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff]);
    const refused = await upload(exe, "anh.png", "image/png");
    expect(refused.status).toBe(415);
    expect((await refused.json()).error.code).toBe("unsupported_file");
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    expect((await upload(png, "hoa-don.exe", "application/octet-stream")).status).toBe(201);
    const items = await transcript(session);
    expect(items.at(-1)!.files[0].type).toBe("image/png");
    expect((await fetch(items.at(-1)!.files[0].url)).status).toBe(200);
  });

  test("a photo over the core's 1 MB body limit but under the chat's 10 MB cap is kept", async () => {
    const { session } = await newSession();
    const png = new Uint8Array(3 * 1024 * 1024);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const form = new FormData();
    form.append("client_id", crypto.randomUUID().replace(/-/g, ""));
    form.append("file", new File([png as BlobPart], "anh-lon.png", { type: "image/png" }));
    const r = await visitor("messages", { method: "POST", sess: session, body: form });
    expect(r.status).toBe(201);
    expect((await transcript(session)).at(-1)!.files[0].size).toBe(png.byteLength);
    // Other routes keep the general limit.
    const big = await visitor("receipt", { method: "POST", sess: session, body: form });
    expect(big.status).toBe(413);
  });

  test("one session writing too fast gets 429 with Retry-After", async () => {
    const { session } = await newSession();
    let last: Response | null = null;
    for (let i = 0; i < 25; i++) {
      last = await write(session, `tin ${i}`);
      if (last.status === 429) break;
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
  });

});

describe("website chat: identity", () => {
  let existing: string;
  beforeAll(async () => {
    // A customer already known from another channel, by email.
    const api = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "App" } });
    const r = await pano.json(`/api/v1/channels/${api.id}/inbound`, { method: "POST", json: { external_contact_id: "app-7", external_message_id: "m1", text: "hi", email: "minh@example.com", contact_name: "Trần Minh" } });
    existing = r.contact_id;
  });
  const hash = (id: string) => createHmac("sha256", "bi-mat-cua-shop-0123456789").update(id).digest("hex");

  test("a bad hash is an anonymous visitor: the claimed email joins nothing", async () => {
    const r = await visitor("session", { method: "POST", json: { token: channel.widget_token, origin: SHOP, user: { id: "42", email: "minh@example.com", hash: "00".repeat(32) } } });
    const s = await r.json();
    expect(s.verified).toBe(false);
  });

  test("a valid hash joins the existing profile by email", async () => {
    const r = await visitor("session", { method: "POST", json: { token: channel.widget_token, origin: SHOP, user: { id: "42", name: "Trần Minh", email: "minh@example.com", hash: hash("42") } } });
    const s = await r.json();
    expect(s.verified).toBe(true);
    expect((await write(s.session, "Mình là khách cũ")).status).toBe(201);
    const contact = await pano.json(`/api/v1/contacts/${existing}`);
    expect(contact.identities.map((i: { external_id: string }) => i.external_id)).toContain("u_42");
  });
});

describe("website chat: a flood", () => {
  test("behind the operator's proxy, the per-address limit counts each visitor's own address", async () => {
    const from = (ip: string) => visitor("session", { method: "POST", headers: { "x-forwarded-for": ip }, json: { token: channel.widget_token, origin: SHOP } });
    let last: Response | null = null;
    for (let i = 0; i < 40; i++) {
      last = await from("203.0.113.7");
      if (last.status === 429) break;
    }
    expect(last!.status).toBe(429);
    // Another visitor behind the same proxy is not held back by the first one's flood.
    expect((await from("203.0.113.8")).status).toBe(200);
  });


  test("a flood of new sessions from one address gets 429 and stores nothing", async () => {
    const before = (await pano.json("/api/v1/contacts?limit=100")).data.length;
    let last: Response | null = null;
    for (let i = 0; i < 40; i++) {
      last = await visitor("session", { method: "POST", json: { token: channel.widget_token, origin: SHOP } });
      if (last.status === 429) break;
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await pano.json("/api/v1/contacts?limit=100")).data.length).toBe(before);
  });
});
