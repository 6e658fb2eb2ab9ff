// Stories of files a customer sends on Messenger: Facebook's URLs expire, so Pano keeps its own
// copy (after the webhook is acknowledged) and serves it; files over the limit are not fetched.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { statSync } from "node:fs";
import { join } from "node:path";
import { eventually } from "./support/pano.ts";
import { startFacebookStory, psidOf, type FacebookStory } from "./sim/facebook-pano.ts";

const LIMIT = 8 * 1024;
let s: FacebookStory;
beforeAll(async () => {
  s = await startFacebookStory({ env: { PANO_MAX_ATTACHMENT_BYTES: String(LIMIT) } });
});
afterAll(async () => {
  await s.stop();
});

const storedUrl = (url: string | null) => !!url && url.startsWith(`${s.pano.url}/files/`);

test("a customer's photo arrives, is copied into Pano's storage and can be viewed from Pano", async () => {
  const psid = psidOf(1);
  const bytes = new Uint8Array(3000).map((_, i) => (i * 7) % 251);
  const url = s.sim.addFile("ao-dai-do.jpg", bytes, "image/jpeg");
  const { delivery } = await s.sim.customerSays(psid, null, { attachments: [{ type: "image", url }] });
  expect(delivery.status).toBe(200);
  const conv = (await s.conversationOf(psid)).conversationId;
  const m = await eventually(async () => {
    const [msg] = await s.messages(conv);
    return msg && storedUrl(msg.attachments[0]?.url) ? msg : null;
  }, 5000, "the stored copy");
  expect(m.attachments[0]).toMatchObject({ kind: "image", name: "ao-dai-do.jpg", content_type: "image/jpeg", size: 3000 });
  // Facebook's URL may be gone by now; Pano serves its own copy.
  const served = await fetch(m.attachments[0].url);
  expect(served.status).toBe(200);
  expect(served.headers.get("content-type")).toBe("image/jpeg");
  expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
});

test("a file over the size limit is kept as a link to Facebook and not stored; a small one beside it is", async () => {
  const psid = psidOf(2);
  const url = s.sim.addFile("catalogue-2026.pdf", new Uint8Array(LIMIT * 4), "application/pdf");
  const small = s.sim.addFile("bang-gia.pdf", new TextEncoder().encode("%PDF-1.4 bảng giá"), "application/pdf");
  await s.sim.customerSays(psid, "Gửi shop catalogue với bảng giá", { attachments: [{ type: "file", url }, { type: "file", url: small }] });
  const conv = (await s.conversationOf(psid)).conversationId;
  const m = await eventually(async () => {
    const [msg] = await s.messages(conv);
    return msg?.attachments.length === 2 && storedUrl(msg.attachments[1].url) ? msg : null;
  }, 5000, "the small file stored");
  expect(m.text).toBe("Gửi shop catalogue với bảng giá");
  expect(m.attachments[0]).toMatchObject({ name: "catalogue-2026.pdf", content_type: "application/pdf", url });
  expect(m.attachments[1]).toMatchObject({ name: "bang-gia.pdf", content_type: "application/pdf" });
  // Pano looked at the declared size at most once and kept nothing that large on disk.
  expect(s.sim.requests.filter((r) => r.path === "/files/catalogue-2026.pdf").length).toBeLessThanOrEqual(1);
  const onDisk = [...new Bun.Glob("attachments/**/*").scanSync({ cwd: s.pano.dataDir })].map((f) => statSync(join(s.pano.dataDir, f)).size);
  expect(onDisk.length).toBeGreaterThan(0);
  expect(onDisk.every((size) => size <= LIMIT)).toBe(true);
});
