// An admin sets a team's satisfaction survey on the team's settings page (Chromium): on, a delay,
// the question in both languages, the days between surveys; a wrong value is refused beside its
// field; the API reads what the page saved; an audit row names the admin. Agents and supervisors
// may not change it; the manager's report shows the survey response rate.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { startPano, ADMIN, type PanoProcess } from "./support/pano.ts";
import { launchBrowser, openPage, logIn } from "./support/browser.ts";
import { addAgent } from "./support/agents.ts";
import { auditRows } from "./settings-session.ts";

let pano: PanoProcess;
let browser: Browser;
let page: Page;
let teamId: string;

beforeAll(async () => {
  [pano, browser] = await Promise.all([startPano(), launchBrowser()]);
  teamId = (await pano.json("/api/v1/teams", { method: "POST", json: { name: "Chăm sóc khách hàng" } })).id;
  page = (await openPage(browser)).page;
  await logIn(page, pano, ADMIN);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await pano?.stop();
});

test("the admin turns surveys on for a team on its settings page; the API reads the same", async () => {
  expect(await pano.json(`/api/v1/teams/${teamId}/csat`)).toEqual({ team_id: teamId, enabled: false, delay_minutes: 0, text_vi: null, text_en: null, min_days_between: 30 });
  await page.goto(`${pano.url}/settings/teams/${teamId}`);
  const section = page.locator("section#csat");
  await section.getByRole("heading", { name: "Khảo sát mức độ hài lòng (CSAT)" }).waitFor();
  await section.getByLabel("Gửi khảo sát khi hội thoại được giải quyết").check();
  await section.getByLabel("Gửi sau khi giải quyết (phút)").fill("10");
  await section.getByLabel("Mỗi khách nhận tối đa một khảo sát trong (ngày)").fill("14");
  await section.getByLabel("Câu hỏi bằng tiếng Việt").fill("Anh/chị chấm điểm nhân viên tư vấn từ 1 đến 5 nhé?");
  await section.getByLabel("Câu hỏi bằng tiếng Anh").fill("How would you rate our agent?");
  await Promise.all([page.waitForURL(/notice=csat/), section.getByRole("button", { name: "Lưu cài đặt khảo sát" }).click()]);
  await page.locator("section#csat [role=status]", { hasText: "Đã lưu cài đặt khảo sát." }).waitFor();
  expect(await page.locator("section#csat").getByLabel("Gửi khảo sát khi hội thoại được giải quyết").isChecked()).toBe(true);
  expect(await pano.json(`/api/v1/teams/${teamId}/csat`)).toEqual({
    team_id: teamId, enabled: true, delay_minutes: 10, text_vi: "Anh/chị chấm điểm nhân viên tư vấn từ 1 đến 5 nhé?", text_en: "How would you rate our agent?", min_days_between: 14,
  });
  const audit = auditRows(pano, "team.csat_settings");
  expect(audit.at(-1)).toMatchObject({ actor_type: "user", subject_id: Number(teamId) });
}, 60_000);

test("a delay that is not a number of minutes is refused beside its field, and nothing changes", async () => {
  await page.goto(`${pano.url}/settings/teams/${teamId}`);
  const section = page.locator("section#csat");
  await section.getByLabel("Gửi sau khi giải quyết (phút)").fill("-5");
  await section.getByRole("button", { name: "Lưu cài đặt khảo sát" }).click();
  await page.locator("section#csat .field-error").first().waitFor();
  expect(await page.locator("section#csat .has-error input").getAttribute("name")).toBe("delay_minutes");
  expect((await pano.json(`/api/v1/teams/${teamId}/csat`)).delay_minutes).toBe(10);
  const bad = await pano.api(`/api/v1/teams/${teamId}/csat`, { method: "PATCH", json: { min_days_between: 9999 } });
  expect(bad.status).toBe(422);
  expect((await bad.json()).error.code).toBe("validation_failed");
}, 60_000);

test("an agent may read a team's survey settings but not change them", async () => {
  const agent = await addAgent(pano, "nhanvien@pano.test", [teamId]);
  const as = (init: RequestInit) => fetch(`${pano.url}/api/v1/teams/${teamId}/csat`, { ...init, headers: { authorization: `Bearer ${agent.token}`, "content-type": "application/json" } });
  expect((await as({ method: "GET" })).status).toBe(200);
  expect((await as({ method: "PATCH", body: JSON.stringify({ enabled: false }) })).status).toBe(403);
  expect((await pano.json(`/api/v1/teams/${teamId}/csat`)).enabled).toBe(true);
}, 60_000);

test("the manager's report shows the survey response rate", async () => {
  await page.goto(`${pano.url}/reports`);
  await page.getByText("Tỉ lệ trả lời khảo sát").first().waitFor();
}, 60_000);
