// Stories of who may register outgoing webhooks and what Pano refuses to send to: only admins
// (and admin-scoped tokens) see or change them, events are checked, and an endpoint on the
// operator's own network is refused when saved unless PANO_ALLOW_PRIVATE_FETCH is on.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, runPano, ADMIN, type PanoProcess } from "./support/pano.ts";
import { signIn, auditRows } from "./settings-session.ts";

let pano: PanoProcess;
beforeAll(async () => {
  // Production's setting: outside URLs may not reach private addresses.
  pano = await startPano({ env: { PANO_ALLOW_PRIVATE_FETCH: "0" } });
});
afterAll(async () => {
  await pano?.stop();
});

const GOOD = { url: "https://crm.shop-hoa-mai.example/pano", events: ["message.created"], secret: "bi-mat-1234567890" };
const tokenFor = async (...args: string[]) => (await runPano(["token", "create", ...args], { PANO_DATA_DIR: pano.dataDir })).stdout.trim();
const as = (token: string, path: string, init: RequestInit & { json?: unknown } = {}) => pano.api(path, { ...init, headers: { authorization: `Bearer ${token}` } });

test("an agent, a supervisor and an admin's token without the admin scope can neither list nor create webhooks", async () => {
  await pano.json("/api/v1/users", { method: "POST", json: { email: "lan@shop.vn", password: "mat-khau-123", name: "Lan", role: "agent" } });
  await pano.json("/api/v1/users", { method: "POST", json: { email: "hung@shop.vn", password: "mat-khau-123", name: "Hùng", role: "supervisor" } });
  const created = await pano.json("/api/v1/webhooks", { method: "POST", json: GOOD });
  for (const token of [await tokenFor("--name", "lan", "--user", "lan@shop.vn"), await tokenFor("--name", "hung", "--user", "hung@shop.vn"), await tokenFor("--name", "crm", "--user", ADMIN.email, "--scopes", "read,write")]) {
    for (const [method, path] of [["GET", "/api/v1/webhooks"], ["POST", "/api/v1/webhooks"], ["GET", `/api/v1/webhooks/${created.id}`], ["DELETE", `/api/v1/webhooks/${created.id}`], ["GET", `/api/v1/webhooks/${created.id}/deliveries`]]) {
      const r = await as(token, path, { method, ...(method === "POST" ? { body: JSON.stringify(GOOD), headers: { "content-type": "application/json" } } : {}) });
      expect({ method, path, status: r.status }).toEqual({ method, path, status: 403 });
      expect((await r.json()).error.code).toBe("forbidden");
    }
  }
  // Still there, and the admin's creation is in the audit trail without its secret.
  expect((await pano.api(`/api/v1/webhooks/${created.id}`)).status).toBe(200);
  const audit = auditRows(pano, "webhook.created").find((r) => r.subject_id === Number(created.id));
  expect(audit).toBeDefined();
  expect(audit!.data).not.toContain(GOOD.secret);
  // Agents do not find it among the settings either.
  const agent = await signIn(pano, "lan@shop.vn", "mat-khau-123");
  expect((await agent.get("/settings/webhooks")).status).toBe(403);
});

test("an unknown event, a missing secret or a URL that is not http(s) is refused with 422 naming the field", async () => {
  const cases: [unknown, string][] = [
    [{ ...GOOD, events: ["message.created", "order.paid"] }, "events.1"],
    [{ ...GOOD, events: [] }, "events"],
    [{ url: GOOD.url, events: GOOD.events }, "secret"],
    [{ ...GOOD, url: "file:///etc/passwd" }, "url"],
    [{ ...GOOD, url: "gopher://crm.example/_x" }, "url"],
    [{ ...GOOD, url: "khong phai url" }, "url"],
  ];
  for (const [body, field] of cases) {
    const r = await pano.api("/api/v1/webhooks", { method: "POST", json: body });
    expect({ field, status: r.status }).toEqual({ field, status: 422 });
    const e = (await r.json()).error;
    expect(e.code).toBe("validation_failed");
    expect(e.field).toBe(field);
  }
});

test("a webhook on loopback, a private network or the metadata service is refused while the allowance is off, on create and on edit", async () => {
  for (const url of ["http://127.0.0.1:8080/hook", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/hook", "http://[::1]/hook", "http://localhost:3000/hook"]) {
    const r = await pano.api("/api/v1/webhooks", { method: "POST", json: { ...GOOD, url } });
    expect({ url, status: r.status }).toEqual({ url, status: 422 });
    const e = (await r.json()).error;
    expect(e.field).toBe("url");
    expect(e.message).toContain("private");
  }
  const w = await pano.json("/api/v1/webhooks", { method: "POST", json: GOOD });
  const r = await pano.api(`/api/v1/webhooks/${w.id}`, { method: "PATCH", json: { url: "http://192.168.1.10/hook" } });
  expect(r.status).toBe(422);
  expect((await pano.json(`/api/v1/webhooks/${w.id}`)).url).toBe(GOOD.url);
  // The settings form says it beside the field, in Vietnamese.
  const admin = await signIn(pano, ADMIN.email, ADMIN.password);
  const form = await admin.post("/settings/webhooks", { url: "http://169.254.169.254/latest/meta-data/", events: ["message.created"], secret: "bi-mat-1234567890" });
  expect(form.status).toBe(422);
  expect(form.html).toContain("Địa chỉ này trỏ vào mạng nội bộ hoặc chính máy chủ");
});

test("an admin edits, pauses and deletes a webhook; the secret is rotated but never shown", async () => {
  const w = await pano.json("/api/v1/webhooks", { method: "POST", json: { ...GOOD, description: "CRM" } });
  const patched = await pano.json(`/api/v1/webhooks/${w.id}`, { method: "PATCH", json: { events: ["conversation.created", "call.ended"], secret: "bi-mat-moi-0987654321", active: false } });
  expect(patched).toMatchObject({ id: w.id, url: GOOD.url, events: ["conversation.created", "call.ended"], active: false, status: "paused", description: "CRM" });
  expect(JSON.stringify(patched)).not.toContain("bi-mat");
  expect(auditRows(pano, "webhook.updated").some((r) => r.subject_id === Number(w.id) && JSON.parse(r.data!).secret_changed === true)).toBe(true);
  expect((await pano.api(`/api/v1/webhooks/${w.id}`, { method: "DELETE" })).status).toBe(204);
  expect((await pano.api(`/api/v1/webhooks/${w.id}`)).status).toBe(404);
  expect((await pano.api(`/api/v1/webhooks/${w.id}/deliveries`)).status).toBe(404);
  const list = await pano.json("/api/v1/webhooks?limit=100");
  expect(list.data.map((x: any) => x.id)).not.toContain(w.id);
  expect(list.next_cursor).toBeNull();
});
