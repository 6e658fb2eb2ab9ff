// Stories of an admin managing people from Settings: inviting with a one-time password, roles,
// teams and their assignment mode, API tokens shown once, disabling; and who may not.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, eventually, ADMIN, type PanoProcess } from "./support/pano.ts";
import { signIn, auditRows, fieldError, type PageSession } from "./settings-session.ts";

let pano: PanoProcess;
let admin: PageSession;

beforeAll(async () => {
  pano = await startPano();
  admin = await signIn(pano, ADMIN.email, ADMIN.password);
});
afterAll(async () => {
  await pano?.stop();
});

const userId = async (email: string) => (await pano.json("/api/v1/users")).data.find((u: any) => u.email === email)?.id as string | undefined;

test("an admin creates a team that shares conversations round robin", async () => {
  const bad = await admin.post("/settings/teams", { name: "", assignment: "round_robin", offline_return_minutes: "0" });
  expect(bad.status).toBe(422);
  expect(fieldError(bad.html, "name")).toBe("Bắt buộc nhập");
  expect(fieldError(bad.html, "offline_return_minutes")).toBe("Phải lớn hơn hoặc bằng 1");

  const r = await admin.post("/settings/teams", { name: "Chăm sóc khách hàng", assignment: "round_robin", offline_return_minutes: "10" });
  expect(r.status).toBe(303);
  const [team] = (await pano.json("/api/v1/teams")).data;
  expect(team).toMatchObject({ name: "Chăm sóc khách hàng", assignment: "round_robin", offline_return_minutes: 10 });
  expect((await admin.post("/settings/teams", { name: "Chăm sóc khách hàng", assignment: "least_open", offline_return_minutes: "5" })).html).toContain("Đã có nhóm với tên này");
});

test("an invited agent gets a one-time password shown once, and can sign in with it", async () => {
  const [team] = (await pano.json("/api/v1/teams")).data;
  const invalid = await admin.post("/settings/users", { name: "Lan", email: "khong-phai-email", role: "agent", capacity: "20", password: "" });
  expect(invalid.status).toBe(422);
  expect(fieldError(invalid.html, "email")).toBe("Không phải địa chỉ email hợp lệ");

  const r = await admin.post("/settings/users", { name: "Nguyễn Thị Lan", email: "lan@pano.test", role: "agent", team_ids: [team.id], capacity: "8", password: "" });
  expect(r.status).toBe(201);
  expect(r.html).toContain("Mật khẩu dùng một lần");
  const password = /data-secret="password">([^<]+)</.exec(r.html)![1];
  expect(password.length).toBeGreaterThanOrEqual(12);
  expect((await admin.get("/settings/users")).html).not.toContain(password);

  const lan = (await pano.json("/api/v1/users")).data.find((u: any) => u.email === "lan@pano.test");
  expect(lan).toMatchObject({ name: "Nguyễn Thị Lan", role: "agent", team_ids: [team.id] });
  const invited = auditRows(pano, "user.invited");
  expect(invited).toHaveLength(1);
  expect(invited[0].data).not.toContain(password);
  await signIn(pano, "lan@pano.test", password);

  const again = await admin.post("/settings/users", { name: "Lan", email: "lan@pano.test", role: "agent", capacity: "8", password: "" });
  expect(fieldError(again.html, "email")).toBe("Đã có người dùng với email này");
});

test("an admin makes the agent a supervisor, moves the team to least-open, and sets a password", async () => {
  const id = await userId("lan@pano.test");
  const r = await admin.post(`/settings/users/${id}`, { name: "Nguyễn Thị Lan", role: "supervisor", capacity: "12", password: "mat-khau-moi-cua-lan" });
  expect(r.status).toBe(303);
  expect((await pano.json("/api/v1/users")).data.find((u: any) => u.id === id)).toMatchObject({ role: "supervisor", team_ids: [] });
  await signIn(pano, "lan@pano.test", "mat-khau-moi-cua-lan");
  expect(auditRows(pano, "user.password_set")).toHaveLength(1);

  const [team] = (await pano.json("/api/v1/teams")).data;
  const edit = await admin.post(`/settings/teams/${team.id}`, { name: team.name, assignment: "least_open", offline_return_minutes: "30", member_ids: [id!] });
  expect(edit.status).toBe(303);
  expect((await pano.json("/api/v1/teams")).data[0]).toMatchObject({ assignment: "least_open", offline_return_minutes: 30, member_ids: [id] });

  // An admin cannot lock themselves out by dropping their own admin role.
  const me = await userId(ADMIN.email);
  const self = await admin.post(`/settings/users/${me}`, { name: "Admin", role: "agent", capacity: "20", password: "" });
  expect(self.status).toBe(422);
  expect(fieldError(self.html, "role")).toBe("Bạn không thể tự bỏ quyền quản trị của mình.");
});

test("supervisors see teams and canned replies but not channels; agents get the 403 page", async () => {
  const lan = await signIn(pano, "lan@pano.test", "mat-khau-moi-cua-lan");
  const teams = await lan.get("/settings/teams");
  expect(teams.status).toBe(200);
  expect(teams.html).toContain("Chỉ quản trị viên mới thay đổi được nhóm.");
  expect(teams.html).not.toContain('action="/settings/teams"');
  expect((await lan.post("/settings/teams", { name: "Nhóm lạ", assignment: "manual", offline_return_minutes: "5" })).status).toBe(403);
  expect((await lan.get("/settings/canned-replies")).status).toBe(200);
  expect((await lan.get("/settings/channels")).status).toBe(403);
  expect((await lan.get("/settings")).location).toBe("/settings/teams");

  await admin.post("/settings/users", { name: "Minh", email: "minh@pano.test", role: "agent", capacity: "20", password: "mat-khau-cua-minh" });
  const minh = await signIn(pano, "minh@pano.test", "mat-khau-cua-minh");
  // An agent's own corner of Settings is their personal macros; everything else is closed to them.
  expect((await minh.get("/settings")).location).toBe("/settings/macros");
  for (const path of ["/settings/channels", "/settings/users", "/settings/canned-replies", "/settings/tokens", "/settings/sla", "/settings/categories"]) {
    const r = await minh.get(path);
    expect(r.status).toBe(403);
    expect(r.html).toContain("Bạn không có quyền mở trang cài đặt này.");
  }
  expect((await minh.post("/settings/channels/new/api", { name: "Lén" })).status).toBe(403);
  expect((await pano.json("/api/v1/channels")).data).toHaveLength(0);
});

test("an API token is shown once, works, and stops working once revoked", async () => {
  const me = await userId(ADMIN.email);
  const r = await admin.post("/settings/tokens", { name: "CRM nội bộ", user_id: me! });
  expect(r.status).toBe(201);
  const token = /data-secret="token">([^<]+)</.exec(r.html)![1];
  const page = await admin.get("/settings/tokens");
  expect(page.html).toContain("CRM nội bộ");
  expect(page.html).not.toContain(token);
  const call = () => fetch(`${pano.url}/api/v1/channels`, { headers: { authorization: `Bearer ${token}` } });
  expect((await call()).status).toBe(200);

  const id = /\/settings\/tokens\/(\d+)\/revoke/.exec(page.html.slice(page.html.indexOf("CRM nội bộ")))![1];
  expect((await admin.post(`/settings/tokens/${id}/revoke`, {})).status).toBe(303);
  await eventually(async () => (await call()).status === 401, 8000, "revoked token refused");
  expect(auditRows(pano, "api_token.revoked")).toHaveLength(1);
});

test("a disabled user can no longer sign in, and nobody can disable themselves", async () => {
  const id = await userId("minh@pano.test");
  expect((await admin.post(`/settings/users/${id}/disable`, {})).status).toBe(303);
  await expect(signIn(pano, "minh@pano.test", "mat-khau-cua-minh")).rejects.toThrow("401");
  expect(auditRows(pano, "user.disabled")).toHaveLength(1);

  const me = await userId(ADMIN.email);
  const self = await admin.post(`/settings/users/${me}/disable`, {});
  expect(self.status).toBe(422);
  expect(self.html).toContain("Bạn không thể tự vô hiệu hóa tài khoản của mình.");
});

test("the system page tells the admin the version, the data directory and that backup is off", async () => {
  const r = await admin.get("/settings/system");
  expect(r.status).toBe(200);
  expect(r.html).toContain(pano.dataDir);
  expect(r.html).toContain("Chưa bật sao lưu liên tục.");
  expect(r.html).toContain("Tin nhắn chờ gửi");
});
