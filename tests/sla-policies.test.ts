// Stories of a shop's SLA policy: targets per team and priority counted in the team's business
// hours; the report counts each missed target exactly; admins manage policies and hours by API.
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Pano } from "../src/pano.ts";
import { buildSummary } from "../src/web/report-summary.ts";
import { saveSlaPolicy, saveBusinessHours } from "../src/store/sla-policies.ts";
import { clockedStore, MIN } from "./support/clocked-store.ts";
import { toListRows } from "../src/web/routes/pages/inbox-data.ts";
import { getConversation } from "../src/store/conversations.ts";
import { Row } from "../views/inbox/list.tsx";
import { translator } from "../views/i18n/index.ts";
import { startPano, type PanoProcess } from "./support/pano.ts";

const local = (iso: string) => `${iso}+07:00`;

test("each conversation is judged by its team's policy in business hours; a weekend does not count", async () => {
  const s = clockedStore(Date.parse(local("2026-03-06T08:00:00")));
  const ch = s.channel();
  const lan = s.user("Lan");
  const team = s.team("CSKH");
  await saveBusinessHours(s.writer, team, { hours: { mon: "08:00-12:00,13:30-17:30", tue: "08:00-17:30", wed: "08:00-17:30", thu: "08:00-17:30", fri: "08:00-12:00,13:30-17:30", sat: "08:00-12:00" } }, lan);
  await saveSlaPolicy(s.db, s.writer, { team_id: team, priority: null, first_response_minutes: 30, next_response_minutes: 60, resolution_minutes: null }, null, lan);
  const conv = async (iso: string, who: string) => {
    s.at(local(iso));
    const id = (await s.customer(ch, who, "Cho mình hỏi")).conversationId!;
    await s.update(id, { teamId: team });
    return id;
  };
  // A: Friday 17:20, answered Saturday 08:15: 25 business minutes (15 wall-clock hours): kept.
  const a = await conv("2026-03-06T17:20:00", "a");
  s.at(local("2026-03-07T08:15:00")); await s.reply(a, lan);
  // B: Friday 11:50, answered 14:00: 10 minutes before lunch + 30 after = 40 > 30: first response missed.
  const b = await conv("2026-03-06T11:50:00", "b");
  s.at(local("2026-03-06T14:00:00")); await s.reply(b, lan);
  // C: answered in 5 minutes; the customer writes again Saturday 09:00, answered 10:30 (90 > 60): next response missed.
  const c = await conv("2026-03-06T09:00:00", "c");
  s.at(local("2026-03-06T09:05:00")); await s.reply(c, lan);
  s.at(local("2026-03-07T09:00:00")); await s.customer(ch, "c", "Còn một câu nữa");
  s.at(local("2026-03-07T10:30:00")); await s.reply(c, lan);
  // D: no team, no policy: the report's threshold (60 wall-clock minutes) judges it: answered after 2 h.
  s.at(local("2026-03-06T09:00:00"));
  const d = (await s.customer(ch, "d", "Xin chào")).conversationId!;
  s.at(local("2026-03-06T11:00:00")); await s.reply(d, lan);

  const pano = { store: s.store, users: { list: () => [{ id: lan, name: "Lan" }] }, channels: { get: () => ({ name: "Zalo" }) } } as unknown as Pano;
  const range: Record<string, string> = { from: local("2026-03-06T00:00:00"), to: local("2026-03-08T00:00:00"), sla_minutes: "60" };
  const r = buildSummary(pano, (n) => range[n]);
  expect(r.conversations_opened).toBe(4);
  expect(r.sla_missed).toEqual({ first_response: 2, next_response: 1, resolution: 0 });
  expect(r.sla_breaches).toBe(3);
});

test("the queue shows each conversation's time left, amber in the last quarter and red once due", async () => {
  const s = clockedStore(Date.parse(local("2026-03-06T09:00:00")));
  const ch = s.channel();
  const lan = s.user("Lan");
  const team = s.team("CSKH");
  await saveSlaPolicy(s.db, s.writer, { team_id: team, priority: null, first_response_minutes: 40, next_response_minutes: null, resolution_minutes: null }, null, lan);
  const id = (await s.customer(ch, "a", "Cho mình hỏi")).conversationId!;
  await s.update(id, { teamId: team });
  const pano = { store: s.store, channels: { get: () => ({ type: "zalo", name: "Zalo" }) } } as unknown as Pano;
  const row = (now: number) => toListRows(pano, [getConversation(s.db, id)!], now)[0];
  const html = (now: number) => String(Row({ ctx: { lang: "vi", t: translator("vi"), timeZone: "Asia/Ho_Chi_Minh", now, csrf: "", user: {} as never }, row: row(now) }));
  const t0 = s.clock.t;
  expect(row(t0 + 5 * MIN).sla).toEqual({ target: "first_response", dueAt: t0 + 40 * MIN, level: "ok" });
  expect(html(t0 + 5 * MIN)).toContain('class="sla sla-ok"');
  expect(html(t0 + 5 * MIN)).toContain("còn 35 phút");
  expect(row(t0 + 31 * MIN).sla!.level).toBe("amber");
  expect(html(t0 + 31 * MIN)).toContain("còn 9 phút");
  expect(html(t0 + 45 * MIN)).toContain('class="sla sla-red"');
  expect(html(t0 + 45 * MIN)).toContain("quá hạn 5 phút");
  // Answered: no target pending, no chip.
  await s.reply(id, lan);
  expect(row(t0 + 45 * MIN).sla).toBeNull();
});

let pano: PanoProcess;
beforeAll(async () => {
  pano = await startPano();
});
afterAll(async () => {
  await pano.stop();
});

test("admins manage SLA policies and a team's business hours through the API", async () => {
  const team = await pano.json("/api/v1/teams", { method: "POST", json: { name: "Bán hàng" } });
  const p = await pano.json("/api/v1/sla-policies", { method: "POST", json: { team_id: team.id, priority: "urgent", first_response_minutes: 15, resolution_minutes: 240 } });
  expect(p).toMatchObject({ team_id: team.id, priority: "urgent", first_response_minutes: 15, next_response_minutes: null, resolution_minutes: 240 });
  expect((await pano.api("/api/v1/sla-policies", { method: "POST", json: { team_id: team.id, priority: "urgent", first_response_minutes: 5 } })).status).toBe(409);
  expect((await pano.api("/api/v1/sla-policies", { method: "POST", json: { priority: "high" } })).status).toBe(422);
  const patched = await pano.json(`/api/v1/sla-policies/${p.id}`, { method: "PATCH", json: { next_response_minutes: 30 } });
  expect(patched).toMatchObject({ first_response_minutes: 15, next_response_minutes: 30 });
  expect((await pano.json("/api/v1/sla-policies")).data).toHaveLength(1);

  const hours = { time_zone: "Asia/Ho_Chi_Minh", hours: { mon: "08:00-17:30", sat: "08:00-12:00" }, holidays: ["2026-04-30", "2026-05-01"] };
  expect((await pano.json(`/api/v1/teams/${team.id}/business-hours`, { method: "PUT", json: { business_hours: hours } })).business_hours).toEqual(hours);
  const bad = await pano.api(`/api/v1/teams/${team.id}/business-hours`, { method: "PUT", json: { business_hours: { hours: { mon: "8h-17h" } } } });
  expect(bad.status).toBe(422);
  expect((await bad.json()).error.message).toContain("hours.mon");
  expect((await pano.json(`/api/v1/teams/${team.id}/business-hours`)).business_hours).toEqual(hours);

  expect((await pano.api(`/api/v1/sla-policies/${p.id}`, { method: "DELETE" })).status).toBe(204);
  expect((await pano.json("/api/v1/sla-policies")).data).toHaveLength(0);
});
