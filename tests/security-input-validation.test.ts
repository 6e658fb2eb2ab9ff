// Hostile input through the API: a snooze in the past, an avatar that is a javascript: URL, and a
// name carrying NUL and a right-to-left override (so "Lan\u202Egnp.exe" would show as "Lanexe.png")
// are refused or stored clean, whichever door they come through.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, type PanoProcess } from "./support/pano.ts";

let pano: PanoProcess;
let channelId: string;
beforeAll(async () => {
  pano = await startPano();
  channelId = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website chat" } })).id;
});
afterAll(async () => void (await pano?.stop()));

const inbound = (body: unknown) => pano.json(`/api/v1/channels/${channelId}/inbound`, { method: "POST", json: body });
const patch = (path: string, json: unknown) => pano.api(path, { method: "PATCH", json });

test("a name with NUL and bidi overrides is stored without them, via API inbound and via PATCH", async () => {
  const r = await inbound({ external_contact_id: "kh-bidi", contact_name: "Lan\u0000\u202Egnp.exe\u2066", external_message_id: "bidi-1", text: "Xin chào shop" });
  expect((await pano.json(`/api/v1/contacts/${r.contact_id}`)).name).toBe("Langnp.exe");
  const p = await patch(`/api/v1/contacts/${r.contact_id}`, { name: "\u202BNguyễn\u0000 Văn\u202C An\u200F" });
  expect(p.status).toBe(200);
  expect((await p.json()).name).toBe("Nguyễn Văn An\u200F");
});

test("an avatar_url that is not http(s) is refused with 422 naming the field", async () => {
  const r = await inbound({ external_contact_id: "kh-avatar", contact_name: "Bình", external_message_id: "av-1", text: "Alo" });
  for (const url of ["javascript:alert(document.cookie)", "data:image/svg+xml,<svg onload=alert(1)>", "file:///etc/passwd"]) {
    const p = await patch(`/api/v1/contacts/${r.contact_id}`, { avatar_url: url });
    expect(p.status).toBe(422);
    const body = await p.json();
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.message).toContain("avatar_url");
  }
  expect((await patch(`/api/v1/contacts/${r.contact_id}`, { avatar_url: "https://cdn.shop.vn/binh.jpg" })).status).toBe(200);
});

test("snoozing into the past is refused with 422 naming snoozed_until", async () => {
  const r = await inbound({ external_contact_id: "kh-snooze", contact_name: "Cường", external_message_id: "sn-1", text: "Mai shop gọi lại nhé" });
  const past = await patch(`/api/v1/conversations/${r.conversation_id}`, { status: "snoozed", snoozed_until: new Date(Date.now() - 3600_000).toISOString() });
  expect(past.status).toBe(422);
  expect((await past.json()).error.message).toContain("snoozed_until");
  const future = await patch(`/api/v1/conversations/${r.conversation_id}`, { status: "snoozed", snoozed_until: new Date(Date.now() + 3600_000).toISOString() });
  expect(future.status).toBe(200);
});
