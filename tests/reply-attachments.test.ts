// An agent sends a customer a photo of the product and the price list as a PDF: the files go
// with the reply (multipart, through the REST API), are kept in Pano, reach the channel by their
// Pano URL, and anything too big or empty is refused with nothing stored.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { startReceiver } from "./support/receiver.ts";
import { pendingSends } from "./support/outbox.ts";

const LIMIT = 64 * 1024;
let pano: PanoProcess;
let rx: ReturnType<typeof startReceiver>;
let conv: string;

beforeAll(async () => {
  pano = await startPano({ env: { PANO_MAX_ATTACHMENT_BYTES: String(LIMIT), PANO_RETRY_BASE_MS: "50" } });
  rx = startReceiver();
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website", config: { callback_url: rx.url, callback_secret: "bi-mat" } } });
  const ids = await pano.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "kh-9", external_message_id: "m-9", text: "Cho em xin ảnh áo và bảng giá" } });
  conv = ids.conversation_id;
});
afterAll(async () => {
  rx?.stop();
  await pano?.stop();
});

const photo = new Uint8Array(Array.from({ length: 5000 }, (_, i) => (i * 31) % 256));
const pdf = new TextEncoder().encode("%PDF-1.4\n% bảng giá tháng 11\n%%EOF\n");

function form(fields: Record<string, string>, files: File[]) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  for (const file of files) f.append("files", file);
  return f;
}

const messages = async () => (await pano.json(`/api/v1/conversations/${conv}/messages?limit=100`)).data as any[];

test("a reply with a photo and a PDF is stored with its files and reaches the callback with their URLs", async () => {
  const r = await pano.api(`/api/v1/conversations/${conv}/messages`, {
    method: "POST",
    body: form({ text: "Dạ ảnh áo dài đỏ và bảng giá ạ" }, [new File([photo], "ao-dai-do.jpg", { type: "image/jpeg" }), new File([pdf], "bang-gia.pdf", { type: "application/pdf" })]),
  });
  expect(r.status).toBe(202);
  const reply = await r.json();
  expect(reply).toMatchObject({ status: "queued", text: "Dạ ảnh áo dài đỏ và bảng giá ạ" });
  expect(reply.attachments.map((a: any) => [a.name, a.content_type, a.size])).toEqual([["ao-dai-do.jpg", "image/jpeg", 5000], ["bang-gia.pdf", "application/pdf", pdf.byteLength]]);

  await eventually(async () => (await messages()).find((m) => m.id === reply.id)?.status === "sent", 5000, "reply sent");
  const sent = rx.received.at(-1)!.json;
  expect(sent.text).toBe("Dạ ảnh áo dài đỏ và bảng giá ạ");
  expect(sent.attachments.map((a: any) => a.name)).toEqual(["ao-dai-do.jpg", "bang-gia.pdf"]);
  // The integration fetches the files from Pano, byte for byte.
  const got = new Uint8Array(await (await fetch(sent.attachments[0].url.replace(/^https?:\/\/[^/]+/, pano.url))).arrayBuffer());
  expect(got).toEqual(photo);
  const gotPdf = await (await fetch(sent.attachments[1].url.replace(/^https?:\/\/[^/]+/, pano.url))).text();
  expect(gotPdf).toContain("bảng giá tháng 11");
});

test("a file alone is a reply too; a private note may carry a file and is never sent", async () => {
  const before = rx.received.length;
  const alone = await pano.api(`/api/v1/conversations/${conv}/messages`, { method: "POST", body: form({}, [new File([photo], "mau-2.jpg", { type: "image/jpeg" })]) });
  expect(alone.status).toBe(202);
  const note = await pano.api(`/api/v1/conversations/${conv}/messages`, { method: "POST", body: form({ text: "Hoá đơn gốc để đối chiếu", private: "true" }, [new File([pdf], "hoa-don.pdf", { type: "application/pdf" })]) });
  expect(note.status).toBe(202);
  const n = await note.json();
  expect(n.private).toBe(true);
  await eventually(async () => rx.received.length === before + 1, 5000, "the file-only reply delivered");
  // The note stayed inside Pano, and will: it has no outbox row (written with it, or never).
  expect(pendingSends(pano, n.id)).toBe(0);
  expect(rx.received.length).toBe(before + 1);
  expect(rx.received.at(-1)!.json.attachments[0].name).toBe("mau-2.jpg");
  expect((await messages()).find((m) => m.id === n.id).attachments[0].name).toBe("hoa-don.pdf");
});

test("a file over the limit, eleven files, or an empty reply are refused and nothing is stored", async () => {
  const count = (await messages()).length;
  const big = await pano.api(`/api/v1/conversations/${conv}/messages`, { method: "POST", body: form({ text: "Video" }, [new File([new Uint8Array(LIMIT + 1)], "video.mp4", { type: "video/mp4" })]) });
  expect(big.status).toBe(413);
  expect((await big.json()).error).toMatchObject({ code: "payload_too_large" });

  const many = await pano.api(`/api/v1/conversations/${conv}/messages`, { method: "POST", body: form({ text: "Nhiều ảnh" }, Array.from({ length: 11 }, (_, i) => new File([photo], `anh-${i}.jpg`, { type: "image/jpeg" }))) });
  expect(many.status).toBe(422);
  expect((await many.json()).error.message).toContain("files");

  const empty = await pano.api(`/api/v1/conversations/${conv}/messages`, { method: "POST", body: form({ text: "   " }, []) });
  expect(empty.status).toBe(422);
  expect((await empty.json()).error).toMatchObject({ code: "validation_failed", field: "text" });

  expect((await messages()).length).toBe(count);
});

test("a JSON body keeps its 1 MB limit; only a reply's multipart body has room for files", async () => {
  const huge = "a".repeat(1024 * 1024 + 10);
  const r = await pano.api(`/api/v1/conversations/${conv}/messages`, { method: "POST", json: { text: huge } });
  expect(r.status).toBe(413);
  const elsewhere = await pano.api(`/api/v1/contacts`, { method: "POST", body: form({ name: "x".repeat(1024 * 1024 + 10) }, []) });
  expect(elsewhere.status).toBe(413);
});
