// A manager switches a routing rule off for the weekend and on again on Monday, from the API or
// from Settings › Routing: the rule keeps its conditions, so it still picks only the messages it
// was written for instead of labelling every customer's message.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, ADMIN, type PanoProcess } from "./support/pano.ts";
import { signIn, type PageSession } from "./settings-session.ts";

let pano: PanoProcess;
let admin: PageSession;

beforeAll(async () => {
  pano = await startPano();
  admin = await signIn(pano, ADMIN.email, ADMIN.password);
});
afterAll(async () => {
  await pano?.stop();
});

const refundRule = (name: string) => ({
  name,
  conditions: { keywords: ["hoàn tiền"], regex: "\\bDH\\d{5}\\b", applies_to: "any_message" },
  actions: { labels: ["hoan-tien"], priority: "high" },
});

/** Whether the rule fires for a message that has nothing to do with refunds. */
const firesForSmallTalk = async (ruleId: string) =>
  (await pano.json("/api/v1/routing-rules/try", { method: "POST", json: { text: "shop ơi áo này còn size M không" } })).fired.includes(ruleId);

test("PATCH with only enabled switches the rule and leaves its name, conditions, actions and place alone", async () => {
  const rule = await pano.json("/api/v1/routing-rules", { method: "POST", json: refundRule("Hoàn tiền (API)") });

  const off = await pano.json(`/api/v1/routing-rules/${rule.id}`, { method: "PATCH", json: { enabled: false } });
  expect(off).toMatchObject({ enabled: false, name: rule.name, position: rule.position, conditions: rule.conditions, actions: rule.actions });

  const on = await pano.json(`/api/v1/routing-rules/${rule.id}`, { method: "PATCH", json: { enabled: true } });
  expect(on).toMatchObject({ enabled: true, name: rule.name, position: rule.position, conditions: rule.conditions, actions: rule.actions });
  expect((await pano.json(`/api/v1/routing-rules/${rule.id}`)).conditions).toEqual(rule.conditions);
  expect(await firesForSmallTalk(rule.id)).toBe(false);

  // Renaming names only the name: enabled is not reset to its create-time default either.
  await pano.json(`/api/v1/routing-rules/${rule.id}`, { method: "PATCH", json: { enabled: false } });
  const renamed = await pano.json(`/api/v1/routing-rules/${rule.id}`, { method: "PATCH", json: { name: "Hoàn tiền, đổi trả" } });
  expect(renamed).toMatchObject({ name: "Hoàn tiền, đổi trả", enabled: false, conditions: rule.conditions, actions: rule.actions });
});

test("the on/off switch in Settings › Routing keeps the rule's conditions", async () => {
  const rule = await pano.json("/api/v1/routing-rules", { method: "POST", json: refundRule("Hoàn tiền (trang cài đặt)") });

  expect((await admin.post(`/settings/routing/${rule.id}/toggle`, {})).status).toBe(303);
  expect((await pano.json(`/api/v1/routing-rules/${rule.id}`)).enabled).toBe(false);
  expect((await admin.post(`/settings/routing/${rule.id}/toggle`, {})).status).toBe(303);

  const after = await pano.json(`/api/v1/routing-rules/${rule.id}`);
  expect(after).toMatchObject({ enabled: true, conditions: rule.conditions, actions: rule.actions });
  expect(await firesForSmallTalk(rule.id)).toBe(false);
  const tried = await pano.json("/api/v1/routing-rules/try", { method: "POST", json: { text: "cho mình hoàn tiền đơn DH12345", first_message: false } });
  expect(tried.fired).toContain(rule.id);
});

test("the other PATCH that derives from a create schema with a default (canned replies) also keeps what it does not name", async () => {
  const team = await pano.json("/api/v1/teams", { method: "POST", json: { name: "Kho" } });
  const reply = await pano.json("/api/v1/canned-replies", { method: "POST", json: { team_id: team.id, shortcut: "kho", text: "Dạ hàng còn ạ" } });
  const edited = await pano.json(`/api/v1/canned-replies/${reply.id}`, { method: "PATCH", json: { text: "Dạ hàng vẫn còn ạ" } });
  expect(edited).toMatchObject({ team_id: team.id, shortcut: "kho", text: "Dạ hàng vẫn còn ạ" });
});
