// An agent's change to a conversation follows the same rules whether it comes from the inbox's
// buttons or from PATCH /api/v1/conversations/:id: marking it urgent lifts its priority to urgent
// (the top of every queue), and "not urgent" takes it off the top again; a change naming a team
// that does not exist is refused either way.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ADMIN, eventually, startPano, type PanoProcess } from "./support/pano.ts";
import { customerWrites } from "./support/browser.ts";
import { signIn, type PageSession } from "./settings-session.ts";

let pano: PanoProcess;
let agent: PageSession;
let byPage: string;
let byApi: string;

const state = async (id: string) => {
  const c = await pano.json(`/api/v1/conversations/${id}`);
  return { urgent: c.urgent, priority: c.priority };
};
const clickUrgent = async (id: string, urgent: boolean) => {
  const r = await agent.post(`/conversations/${id}/actions`, { action: "urgent", urgent: urgent ? "1" : "0" });
  expect(r.status).toBe(303);
};
const patch = async (id: string, json: Record<string, unknown>) => {
  const r = await pano.api(`/api/v1/conversations/${id}`, { method: "PATCH", json });
  return { status: r.status, body: await r.json() };
};

beforeAll(async () => {
  pano = await startPano();
  const web = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
  byPage = (await customerWrites(pano, web, "kh-mai", "Cho mình hỏi áo sơ mi trắng size M còn hàng không ạ?", "Trần Thị Mai")).conversation_id;
  byApi = (await customerWrites(pano, web, "kh-tuan", "Cho mình hỏi quần jean xanh size 30 còn hàng không ạ?", "Lê Minh Tuấn")).conversation_id;
  // Triage runs after the commit: wait until it has judged both, so it cannot change them under the test.
  await eventually(async () => (await pano.json(`/api/v1/conversations/${byPage}`)).intent !== null && (await pano.json(`/api/v1/conversations/${byApi}`)).intent !== null, 10_000, "triage to judge both");
  agent = await signIn(pano, ADMIN.email, ADMIN.password);
});
afterAll(async () => {
  await pano?.stop();
});

describe("one rule for an agent's change, from the page and from the API", () => {
  test("both start as normal questions", async () => {
    expect(await state(byPage)).toEqual({ urgent: false, priority: "normal" });
    expect(await state(byApi)).toEqual({ urgent: false, priority: "normal" });
  });

  test("marked urgent by a click or by PATCH {urgent: true}, each has priority urgent", async () => {
    await clickUrgent(byPage, true);
    const patched = await patch(byApi, { urgent: true });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ urgent: true, priority: "urgent" });
    expect(await state(byPage)).toEqual({ urgent: true, priority: "urgent" });
    expect(await state(byApi)).toEqual(await state(byPage));
  });

  test("'not urgent' either way takes each off the top, back to normal", async () => {
    await clickUrgent(byPage, false);
    expect((await patch(byApi, { urgent: false })).body).toMatchObject({ urgent: false, priority: "normal" });
    expect(await state(byPage)).toEqual({ urgent: false, priority: "normal" });
    expect(await state(byApi)).toEqual(await state(byPage));
  });

  test("a priority chosen without touching urgency stays as chosen", async () => {
    expect((await patch(byApi, { priority: "high" })).body).toMatchObject({ urgent: false, priority: "high" });
    expect((await agent.post(`/conversations/${byPage}/actions`, { action: "priority", priority: "high" })).status).toBe(303);
    expect(await state(byPage)).toEqual({ urgent: false, priority: "high" });
  });

  test("a team that does not exist is refused by both, and nothing changes", async () => {
    const patched = await patch(byApi, { team_id: 999999 });
    expect(patched.status).toBe(422);
    expect(patched.body.error.message).toContain("team_id");
    expect((await agent.post(`/conversations/${byPage}/actions`, { action: "team", team: "999999" })).status).toBe(422);
    expect((await pano.json(`/api/v1/conversations/${byPage}`)).team_id).toBeNull();
    expect((await pano.json(`/api/v1/conversations/${byApi}`)).team_id).toBeNull();
  });
});
