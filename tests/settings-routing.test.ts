// An admin writes routing rules in Settings, puts them in order, and asks "what would happen to
// this message?": the page answers which rule fires and why, in Vietnamese.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, ADMIN, type PanoProcess } from "./support/pano.ts";
import { signIn, fieldError, type PageSession } from "./settings-session.ts";

let pano: PanoProcess;
let admin: PageSession;
let teamId: string;

beforeAll(async () => {
  pano = await startPano();
  admin = await signIn(pano, ADMIN.email, ADMIN.password);
  teamId = (await pano.json("/api/v1/teams", { method: "POST", json: { name: "Đổi trả" } })).id;
});
afterAll(async () => {
  await pano?.stop();
});

const rule = (name: string, conditions: unknown, actions: unknown) => ({
  name, enabled: "true", conditions: JSON.stringify(conditions), actions: JSON.stringify(actions),
});

test("a rule that is not JSON, or has a broken regex, is refused beside its box", async () => {
  const notJson = await admin.post("/settings/routing", { name: "Hỏng", enabled: "true", conditions: "{keywords: [", actions: "{}" });
  expect(notJson.status).toBe(422);
  expect(fieldError(notJson.html, "conditions")).toBe("JSON không hợp lệ");

  const badRegex = await admin.post("/settings/routing", rule("Regex hỏng", { regex: "(mã đơn" }, { priority: "high" }));
  expect(badRegex.status).toBe(422);
  expect(fieldError(badRegex.html, "conditions")).toContain("Không hợp lệ");
  expect((await pano.json("/api/v1/routing-rules")).data).toHaveLength(0);
});

test("rules are added, reordered and switched off from the page, and the try box explains the outcome", async () => {
  expect((await admin.post("/settings/routing", rule("Hàng lỗi", { keywords: ["đổi trả", "hàng lỗi"] }, { team_id: teamId, labels: ["doi-tra"] }))).status).toBe(303);
  expect((await admin.post("/settings/routing", rule("Khẩn", { keywords: ["gấp"] }, { priority: "urgent" }))).status).toBe(303);
  let rules = (await pano.json("/api/v1/routing-rules")).data;
  expect(rules.map((r: any) => r.name)).toEqual(["Hàng lỗi", "Khẩn"]);

  expect((await admin.post(`/settings/routing/${rules[1].id}/move`, { direction: "up" })).status).toBe(303);
  rules = (await pano.json("/api/v1/routing-rules")).data;
  expect(rules.map((r: any) => r.name)).toEqual(["Khẩn", "Hàng lỗi"]);

  const tried = await admin.post("/settings/routing/try", { text: "Shop ơi cho em đổi trả đơn này gấp", first_message: "true" });
  expect(tried.status).toBe(200);
  expect(tried.html).toContain("Quy tắc “Hàng lỗi” sẽ được áp dụng.");
  expect(tried.html).toContain("Quy tắc “Khẩn” sẽ được áp dụng.");
  expect(tried.html).toContain("Lý do");

  expect((await admin.post(`/settings/routing/${rules[0].id}/toggle`, {})).status).toBe(303);
  const again = await admin.post("/settings/routing/try", { text: "cần gấp", first_message: "true" });
  expect(again.html).toContain("Không có quy tắc nào khớp: hội thoại vào hàng chờ chung.");
  expect((await pano.json(`/api/v1/routing-rules/${rules[0].id}`)).enabled).toBe(false);
});

test("editing a rule keeps its place; deleting removes it", async () => {
  const [first, second] = (await pano.json("/api/v1/routing-rules")).data;
  const edit = await admin.get(`/settings/routing/${second.id}`);
  expect(edit.html).toContain("Hàng lỗi");
  expect((await admin.post(`/settings/routing/${second.id}`, rule("Hàng lỗi, đổi trả", { keywords: ["đổi trả"] }, { team_id: teamId }))).status).toBe(303);
  const after = (await pano.json("/api/v1/routing-rules")).data;
  expect(after.map((r: any) => r.name)).toEqual([first.name, "Hàng lỗi, đổi trả"]);
  expect((await admin.post(`/settings/routing/${first.id}/delete`, {})).status).toBe(303);
  expect((await pano.json("/api/v1/routing-rules")).data).toHaveLength(1);
});
