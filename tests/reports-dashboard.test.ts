// A shop manager opens one page in the morning and sees the queue and how the team did.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ADMIN, startPano, type PanoProcess } from "./support/pano.ts";

let pano: PanoProcess;

/** Logs in through the real login form and returns the session cookie. */
async function login(email: string, password: string): Promise<string> {
  const r = await fetch(`${pano.url}/login`, { method: "POST", redirect: "manual", body: new URLSearchParams({ email, password, next: "/inbox" }) });
  expect(r.status).toBe(303);
  return r.headers.get("set-cookie")!.split(";")[0];
}

beforeAll(async () => {
  pano = await startPano();
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website chat" } });
  for (let i = 1; i <= 3; i++) {
    await pano.json(`/api/v1/channels/${ch.id}/inbound`, { method: "POST", json: { external_contact_id: `kh-${i}`, contact_name: `Khách ${i}`, external_message_id: `m-${i}`, text: "Shop ơi đơn hàng của em đâu rồi?" } });
  }
  const convs = await pano.json("/api/v1/conversations");
  const me = (await pano.json("/api/v1/users")).data.find((u: any) => u.email === ADMIN.email);
  await pano.json(`/api/v1/conversations/${convs.data[0].id}`, { method: "PATCH", json: { assignee_id: me.id } });
  await pano.json(`/api/v1/conversations/${convs.data[0].id}/messages`, { method: "POST", json: { text: "Dạ shop kiểm tra ngay ạ", private: true } });
  await pano.json(`/api/v1/conversations/${convs.data[1].id}`, { method: "PATCH", json: { status: "resolved" } });
  await pano.json("/api/v1/users", { method: "POST", json: { email: "agent@pano.test", password: "mat-khau-nhan-vien-1", name: "Lan", role: "agent" } });
});
afterAll(async () => void (await pano.stop()));

test("the manager sees today's queue and the team's figures in Vietnamese", async () => {
  const cookie = await login(ADMIN.email, ADMIN.password);
  const r = await fetch(`${pano.url}/reports?period=today`, { headers: { cookie } });
  expect(r.status).toBe(200);
  const html = await r.text();
  expect(html).toContain("Hiệu suất đội ngũ");
  expect(html).toContain("Hàng đợi lúc này");
  // Two conversations still open, one of them unassigned... the figures come from the database.
  expect(html).toMatch(/<dt>Đang mở<\/dt><dd>2<\/dd>/);
  expect(html).toMatch(/<dt>Chưa phân công<\/dt><dd>1<\/dd>/);
  expect(html).toMatch(/<dt>Hội thoại mới<\/dt><dd>3<\/dd>/);
  expect(html).toMatch(/<dt>Đã giải quyết<\/dt><dd>1<\/dd>/);
  expect(html).toContain("Website chat");
});

test("the dashboard's CSV download carries the same figures", async () => {
  const cookie = await login(ADMIN.email, ADMIN.password);
  const r = await fetch(`${pano.url}/reports/summary.csv?period=30d`, { headers: { cookie } });
  expect(r.headers.get("content-type")).toContain("text/csv");
  const [header, all] = (await r.text()).split("\n");
  expect(header.split(",").slice(0, 5)).toEqual(["scope", "id", "name", "conversations_opened", "conversations_resolved"]);
  expect(all.split(",").slice(0, 5)).toEqual(["all", "", "", "3", "1"]);
});

test("an agent cannot open the manager's dashboard", async () => {
  const cookie = await login("agent@pano.test", "mat-khau-nhan-vien-1");
  const r = await fetch(`${pano.url}/reports`, { headers: { cookie } });
  expect(r.status).toBe(403);
});
