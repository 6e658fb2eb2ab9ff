// Stories of a shop's service targets: time counts only while the shop is open, a weekend and
// public holidays (a Tết week, 30/4 and 1/5, edited per year) stop the clock, and the queue's
// colour turns amber in a target's last quarter and red once it is due.
import { expect, test } from "bun:test";
import { parseBusinessHours, businessMs, addBusinessMs, nextDue, slaLevel, missedTargets, type BusinessHours } from "../src/domain/sla.ts";

const MIN = 60_000;
const at = (localIso: string) => Date.parse(`${localIso}+07:00`); // Asia/Ho_Chi_Minh
const shop = parseBusinessHours({
  hours: { mon: "08:00-12:00,13:30-17:30", tue: "08:00-12:00,13:30-17:30", wed: "08:00-12:00,13:30-17:30", thu: "08:00-12:00,13:30-17:30", fri: "08:00-12:00,13:30-17:30", sat: "08:00-12:00" },
  // A Tết break and Reunification/Labour days, as the shop entered them for 2026.
  holidays: ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-04-30", "2026-05-01"],
}) as BusinessHours;

test("business hours are validated, naming the part that is wrong", () => {
  expect(typeof shop).toBe("object");
  expect(parseBusinessHours({ hours: { mon: "8h-17h" } })).toContain("hours.mon");
  expect(parseBusinessHours({ hours: { funday: "08:00-17:00" } as never })).toContain("hours.funday");
  expect(parseBusinessHours({ hours: { mon: "17:00-08:00" } })).toContain("must end after");
  expect(parseBusinessHours({ hours: {}, holidays: ["30/4"] })).toContain("holidays");
  expect(parseBusinessHours({ hours: {}, time_zone: "Sao/Hoa" })).toContain("time_zone");
});

test("the clock stops at lunch, overnight, over the weekend and on holidays", () => {
  // Friday 11:50 + 30 min: 10 min before lunch, 20 after it.
  expect(addBusinessMs(at("2026-03-06T11:50:00"), 30 * MIN, shop)).toBe(at("2026-03-06T13:50:00"));
  // Saturday 11:40 + 60 min: 20 min on Saturday, closed Sunday, 40 min on Monday.
  expect(addBusinessMs(at("2026-03-07T11:40:00"), 60 * MIN, shop)).toBe(at("2026-03-09T08:40:00"));
  expect(businessMs(at("2026-03-07T11:40:00"), at("2026-03-09T08:40:00"), shop)).toBe(60 * MIN);
  // Wednesday 29/4 17:00 + 60 min: 30 min that day; 30/4 and 1/5 closed; Saturday 2/5 08:30.
  expect(addBusinessMs(at("2026-04-29T17:00:00"), 60 * MIN, shop)).toBe(at("2026-05-02T08:30:00"));
  // A message during the Tết break waits for the first morning after it (Saturday 21/2).
  expect(addBusinessMs(at("2026-02-17T10:00:00"), 15 * MIN, shop)).toBe(at("2026-02-21T08:15:00"));
  // Without business hours the target runs on the wall clock.
  expect(addBusinessMs(at("2026-02-17T10:00:00"), 15 * MIN, null)).toBe(at("2026-02-17T10:15:00"));
});

test("the pending target, its colour, and the targets missed", () => {
  const policy = { firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 8 * 60 };
  const conv = { createdAt: at("2026-03-06T17:20:00"), firstResponseAt: null, waitingSince: at("2026-03-06T17:20:00"), resolvedAt: null, status: "open" };
  // Friday 17:20: 10 minutes before closing, the other 20 on Saturday morning.
  const due = nextDue(conv, policy, shop)!;
  expect(due).toEqual({ target: "first_response", dueAt: at("2026-03-07T08:20:00"), budgetMs: 30 * MIN });
  expect(slaLevel(due, at("2026-03-06T17:22:00"), shop)).toBe("ok"); // 28 business minutes left
  expect(slaLevel(due, at("2026-03-07T07:55:00"), shop)).toBe("ok"); // overnight counts nothing: 20 left
  expect(slaLevel(due, at("2026-03-07T08:14:00"), shop)).toBe("amber"); // 6 left: the last quarter
  expect(slaLevel(due, at("2026-03-07T08:20:00"), shop)).toBe("red");
  // Answered after 20 minutes: the next target is the next response to the customer's follow-up.
  const answered = { ...conv, firstResponseAt: at("2026-03-07T08:10:00"), waitingSince: at("2026-03-07T09:00:00") };
  expect(nextDue(answered, policy, shop)!.target).toBe("next_response");
  expect(missedTargets(answered, policy, shop, at("2026-03-07T10:30:00"), [[at("2026-03-07T09:00:00"), null]])).toEqual(["next_response"]);
  expect(missedTargets({ ...conv, firstResponseAt: at("2026-03-07T08:25:00"), resolvedAt: at("2026-03-07T09:00:00"), status: "resolved" }, policy, shop, at("2026-03-09T00:00:00"))).toEqual(["first_response"]);
  expect(missedTargets({ ...conv, firstResponseAt: at("2026-03-07T08:15:00"), resolvedAt: at("2026-03-07T09:00:00"), status: "resolved" }, policy, shop, at("2026-03-09T00:00:00"))).toEqual([]);
  expect(nextDue({ ...conv, status: "resolved", resolvedAt: at("2026-03-07T09:00:00") }, policy, shop)).toBeNull();
});
