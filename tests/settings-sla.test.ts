// Settings › SLA: an admin sets response targets per team and priority and a team's business hours,
// adds Vietnam's public holidays of a year (Tết and Giỗ Tổ Hùng Vương from the lunar calendar) in
// one click and edits them; a supervisor reads but cannot change; bad input is refused beside its field.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPano, ADMIN, type PanoProcess } from "./support/pano.ts";
import { signIn, fieldError, type PageSession } from "./settings-session.ts";
import { lunarToSolar, vietnamHolidays } from "../src/domain/vn-holidays.ts";

let pano: PanoProcess;
let admin: PageSession;
let teamId: string;

beforeAll(async () => {
  pano = await startPano();
  teamId = (await pano.json("/api/v1/teams", { method: "POST", json: { name: "CSKH", assignment: "manual" } })).id;
  await pano.json("/api/v1/users", { method: "POST", json: { email: "giam-sat@shop.vn", password: "mat-khau-dai-du-8", name: "Trần Giám Sát", role: "supervisor" } });
  admin = await signIn(pano, ADMIN.email, ADMIN.password);
});
afterAll(() => pano.stop());

describe("Vietnam's public holidays", () => {
  test("Tết and Giỗ Tổ Hùng Vương fall on the Vietnamese lunar calendar's dates", () => {
    const known: [number, string, string][] = [
      [2023, "2023-01-22", "2023-04-29"], [2024, "2024-02-10", "2024-04-18"], [2025, "2025-01-29", "2025-04-07"],
      [2026, "2026-02-17", "2026-04-26"], [2027, "2027-02-06", "2027-04-16"], [2028, "2028-01-26", "2028-04-04"],
    ];
    for (const [year, tet, hung] of known) {
      expect(lunarToSolar(1, 1, year)).toBe(tet);
      expect(lunarToSolar(10, 3, year)).toBe(hung);
    }
    // 2030: Vietnam (UTC+7) celebrates a day before China (UTC+8).
    expect(lunarToSolar(1, 1, 2030)).toBe("2030-02-02");
  });

  test("a year's list: New Year, five days of Tết, Hùng Kings, 30/4, 1/5 and two days of National Day", () => {
    const days = vietnamHolidays(2025).map((h) => h.date);
    expect(days).toEqual(["2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-04-07", "2025-04-30", "2025-05-01", "2025-09-01", "2025-09-02"]);
  });
});

describe("Settings › SLA", () => {
  test("an admin adds a policy; a policy with no target or the same team and priority twice is refused beside the field", async () => {
    const empty = await admin.post("/settings/sla", { team_id: teamId, priority: "urgent" });
    expect(empty.status).toBe(422);
    expect(fieldError(empty.html, "first_response_minutes")).toBe("Đặt ít nhất một mục tiêu.");
    const saved = await admin.post("/settings/sla", { team_id: teamId, priority: "urgent", first_response_minutes: "15", resolution_minutes: "240" });
    expect(saved.status).toBe(303);
    const list = await pano.json("/api/v1/sla-policies");
    expect(list.data).toEqual([expect.objectContaining({ team_id: teamId, priority: "urgent", first_response_minutes: 15, next_response_minutes: null, resolution_minutes: 240 })]);
    const page = await admin.get("/settings/sla");
    expect(page.html).toContain("15 phút");
    expect(page.html).toContain("4 giờ");
    const twice = await admin.post("/settings/sla", { team_id: teamId, priority: "urgent", first_response_minutes: "30" });
    expect(twice.status).toBe(422);
    expect(fieldError(twice.html, "priority")).toBe("Đã có chính sách cho nhóm và mức ưu tiên này.");
  });

  test("a policy says what a miss does: raise the priority and hand it to a person or back to the queue", async () => {
    const lead = (await pano.json("/api/v1/users", { method: "POST", json: { email: "truong-nhom@shop.vn", password: "mat-khau-dai-du-8", name: "Lê Trưởng Nhóm", role: "agent" } })).id;
    const saved = await admin.post("/settings/sla", { team_id: teamId, priority: "high", first_response_minutes: "30", breach_priority: "urgent", breach_assignee: lead });
    expect(saved.status).toBe(303);
    const policy = (await pano.json("/api/v1/sla-policies")).data.find((p: any) => p.priority === "high");
    expect(policy.on_breach).toEqual({ priority: "urgent", assignee_id: Number(lead) });
    const page = await admin.get("/settings/sla");
    expect(page.html).toContain("Ưu tiên Khẩn cấp · Chuyển cho Lê Trưởng Nhóm");
    const edit = await admin.get(`/settings/sla/${policy.id}`);
    expect(edit.html).toMatch(/<option value="queue"[^>]*>Trả về hàng đợi của nhóm<\/option>/);
    await admin.post(`/settings/sla/${policy.id}`, { team_id: teamId, priority: "high", first_response_minutes: "30", breach_assignee: "queue" });
    expect((await pano.json("/api/v1/sla-policies")).data.find((p: any) => p.id === policy.id).on_breach).toEqual({ assignee_id: null });
    const viaApi = await pano.api(`/api/v1/sla-policies/${policy.id}`, { method: "PATCH", json: { on_breach: { assignee_id: 999999 } } });
    expect(viaApi.status).toBe(422);
    expect((await viaApi.json()).error.field).toBe("on_breach.assignee_id");
    await pano.api(`/api/v1/sla-policies/${policy.id}`, { method: "DELETE" });
  });

  test("business hours: a badly written day is refused beside it; saved hours and holidays are what the API returns", async () => {
    const bad = await admin.post(`/settings/sla/teams/${teamId}`, { time_zone: "Asia/Ho_Chi_Minh", hours_mon: "8h-12h", holidays: "" });
    expect(bad.status).toBe(422);
    expect(fieldError(bad.html, "hours_mon")).toContain("08:00-12:00,13:30-17:30");
    const badDate = await admin.post(`/settings/sla/teams/${teamId}`, { time_zone: "Asia/Ho_Chi_Minh", hours_mon: "08:00-17:00", holidays: "30/4/2026" });
    expect(fieldError(badDate.html, "holidays")).toBe("Ngày không hợp lệ: 30/4/2026 (dùng dạng YYYY-MM-DD).");
    const ok = await admin.post(`/settings/sla/teams/${teamId}`, { time_zone: "Asia/Ho_Chi_Minh", hours_mon: "08:00-12:00,13:30-17:30", hours_sat: "08:00-12:00", holidays: "2026-12-31" });
    expect(ok.status).toBe(303);
    const hours = await pano.json(`/api/v1/teams/${teamId}/business-hours`);
    expect(hours.business_hours).toEqual({ time_zone: "Asia/Ho_Chi_Minh", hours: { mon: "08:00-12:00,13:30-17:30", sat: "08:00-12:00" }, holidays: ["2026-12-31"] });
  });

  test("Vietnam's holidays of a year join the team's list in one click, named on the page, and stay editable", async () => {
    expect((await admin.post(`/settings/sla/teams/${teamId}/vn-holidays`, { year: "2026" })).status).toBe(303);
    const hours = (await pano.json(`/api/v1/teams/${teamId}/business-hours`)).business_hours;
    expect(hours.holidays).toContain("2026-02-17");
    expect(hours.holidays).toContain("2026-04-26");
    expect(hours.holidays).toContain("2026-12-31");
    expect(hours.hours.mon).toBe("08:00-12:00,13:30-17:30");
    const page = await admin.get(`/settings/sla/teams/${teamId}`);
    expect(page.html).toContain("Giỗ Tổ Hùng Vương");
    expect(page.html).toContain("Tết Nguyên đán (mùng 1)");
    // The admin drops the adjacent National Day (the government chose 3/9 this year) and adds it.
    const edited = hours.holidays.filter((d: string) => d !== "2026-09-01").concat("2026-09-03").join("\n");
    await admin.post(`/settings/sla/teams/${teamId}`, { time_zone: "Asia/Ho_Chi_Minh", hours_mon: hours.hours.mon, hours_sat: hours.hours.sat, holidays: edited });
    const after = (await pano.json(`/api/v1/teams/${teamId}/business-hours`)).business_hours.holidays;
    expect(after).toContain("2026-09-03");
    expect(after).not.toContain("2026-09-01");
  });

  test("holidays alone keep the team open around the clock on other days, not closed for ever", async () => {
    const other = (await pano.json("/api/v1/teams", { method: "POST", json: { name: "Kho", assignment: "manual" } })).id;
    await admin.post(`/settings/sla/teams/${other}/vn-holidays`, { year: "2027" });
    const hours = (await pano.json(`/api/v1/teams/${other}/business-hours`)).business_hours;
    expect(hours.hours).toEqual({ mon: "00:00-24:00", tue: "00:00-24:00", wed: "00:00-24:00", thu: "00:00-24:00", fri: "00:00-24:00", sat: "00:00-24:00", sun: "00:00-24:00" });
    expect(hours.holidays).toContain("2027-02-06");
  });

  test("a supervisor reads the targets and hours but cannot change them", async () => {
    const sup = await signIn(pano, "giam-sat@shop.vn", "mat-khau-dai-du-8");
    const page = await sup.get("/settings/sla");
    expect(page.status).toBe(200);
    expect(page.html).toContain("15 phút");
    expect(page.html).not.toContain('action="/settings/sla"');
    expect((await sup.post("/settings/sla", { team_id: teamId, priority: "low", first_response_minutes: "60" })).status).toBe(403);
    expect((await sup.post(`/settings/sla/teams/${teamId}/vn-holidays`, { year: "2027" })).status).toBe(403);
    expect((await pano.json("/api/v1/sla-policies")).data).toHaveLength(1);
  });
});
