// Settings > SLA: policies (targets per team and priority) and each team's business hours and
// holidays. Admins edit; supervisors read. The same store functions as /api/v1/sla-policies.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import { renderError, type PageEnv } from "../../view-context.ts";
import { PanoError } from "../../../domain/errors.ts";
import { WEEKDAYS, parseBusinessHours, type BusinessHoursInput } from "../../../domain/sla.ts";
import { vietnamHolidays, type Holiday } from "../../../domain/vn-holidays.ts";
import { parseBreachActions } from "../../../domain/sla-breach.ts";
import { listSlaPolicies, slaPolicyById, saveSlaPolicy, deleteSlaPolicy, slaPolicyInputSchema, saveBusinessHours, businessHoursInput, type SlaPolicyRow } from "../../../store/sla-policies.ts";
import { teamNames } from "../../../store/teams.ts";
import { SlaPage, SlaPolicyEditPage, TeamHoursPage, type SlaForm } from "../../../../views/settings/sla.tsx";
import type { Translate } from "../../../../views/i18n/index.ts";
import { issuesByField, readForm, text, type FieldErrors, type FormValues } from "./settings-form.ts";
import { noticeFrom, redirectWithNotice } from "./settings-notice.ts";

const TARGETS = ["first_response_minutes", "next_response_minutes", "resolution_minutes"] as const;

function policyForm(f: FormValues) {
  return { team_id: text(f, "team_id"), priority: text(f, "priority"), breach_priority: text(f, "breach_priority"), breach_assignee: text(f, "breach_assignee"), ...Object.fromEntries(TARGETS.map((k) => [k, text(f, k)])) } as Record<string, string>;
}

/** The form's "when missed" choices as the policy's on_breach ("queue": back to the team's queue). */
function onBreachOf(values: Record<string, string>) {
  const a: { priority?: string; assignee_id?: number | null } = {};
  if (values.breach_priority) a.priority = values.breach_priority;
  if (values.breach_assignee === "queue") a.assignee_id = null;
  else if (values.breach_assignee) a.assignee_id = Number(values.breach_assignee);
  return Object.keys(a).length ? a : null;
}

function checkPolicy(pano: Pano, values: Record<string, string>, t: Translate, exceptId: number | null) {
  const raw = {
    team_id: values.team_id || null, priority: values.priority || null,
    ...Object.fromEntries(TARGETS.map((k) => [k, values[k] ? Number(values[k]) : null])),
    on_breach: onBreachOf(values),
  };
  const parsed = slaPolicyInputSchema.safeParse(raw);
  const errors: FieldErrors = parsed.success ? {} : issuesByField(parsed.error, t, raw);
  if (parsed.success) {
    if (TARGETS.every((k) => parsed.data[k] === null)) errors.first_response_minutes = t("sla.need_target");
    else if (listSlaPolicies(pano.store.sqlite).some((p) => p.id !== exceptId && p.team_id === parsed.data.team_id && p.priority === parsed.data.priority)) errors.priority = t("sla.duplicate");
    const handTo = parsed.data.on_breach?.assignee_id;
    if (handTo != null && !pano.users.byId(handTo)) errors.breach_assignee = t("settings.err.choice");
    if (!Object.keys(errors).length) return { ok: true as const, input: parsed.data };
  }
  return { ok: false as const, form: { values, errors, formError: t("settings.fix_errors") } };
}

const policyValues = (p: SlaPolicyRow): Record<string, string> => ({
  breach_priority: parseBreachActions(p.breach_actions)?.priority ?? "",
  breach_assignee: ((a) => (a?.assignee_id === null ? "queue" : a?.assignee_id !== undefined ? String(a.assignee_id) : ""))(parseBreachActions(p.breach_actions)),
  team_id: p.team_id === null ? "" : String(p.team_id), priority: p.priority ?? "",
  first_response_minutes: String(p.first_response_minutes ?? ""), next_response_minutes: String(p.next_response_minutes ?? ""), resolution_minutes: String(p.resolution_minutes ?? ""),
});

function hoursValues(h: BusinessHoursInput | null): Record<string, string> {
  return {
    time_zone: h?.time_zone ?? "Asia/Ho_Chi_Minh",
    ...Object.fromEntries(WEEKDAYS.map((d) => [`hours_${d}`, h?.hours?.[d] ?? ""])),
    holidays: (h?.holidays ?? []).join("\n"),
  };
}

/** The form's hours, each part checked on its own so the error sits beside the field that has it. */
function checkHours(values: Record<string, string>, t: Translate): { ok: true; input: BusinessHoursInput | null } | { ok: false; form: SlaForm } {
  const errors: FieldErrors = {};
  const timeZone = values.time_zone || "Asia/Ho_Chi_Minh";
  if (typeof parseBusinessHours({ time_zone: timeZone, hours: {} }) === "string") errors.time_zone = t("sla.time_zone_invalid");
  const hours: BusinessHoursInput["hours"] = {};
  for (const d of WEEKDAYS) {
    const spec = values[`hours_${d}`]?.trim();
    if (!spec) continue;
    if (typeof parseBusinessHours({ hours: { [d]: spec } }) === "string") errors[`hours_${d}`] = t("sla.day_invalid");
    hours[d] = spec;
  }
  const holidays = [...new Set(values.holidays.split(/[\n,;]+/).map((l) => l.trim()).filter(Boolean))].sort();
  const bad = holidays.find((h) => typeof parseBusinessHours({ hours: {}, holidays: [h] }) === "string");
  if (bad) errors.holidays = t("sla.holidays_invalid", { date: bad });
  if (Object.keys(errors).length) return { ok: false, form: { values, errors, formError: t("settings.fix_errors") } };
  // Nothing at all: the team counts wall-clock time.
  if (!Object.keys(hours).length && !holidays.length) return { ok: true, input: null };
  return { ok: true, input: { time_zone: timeZone, hours: openWeekUnlessGiven(hours), holidays } };
}

/** Holidays without weekly hours mean "open around the clock except those days", not "never open". */
const openWeekUnlessGiven = (hours: BusinessHoursInput["hours"]): BusinessHoursInput["hours"] =>
  Object.keys(hours).length ? hours : Object.fromEntries(WEEKDAYS.map((d) => [d, "00:00-24:00"]));

const knownHolidays = (years: number[]): Map<string, Holiday> => new Map(years.flatMap((y) => vietnamHolidays(y)).map((h) => [h.date, h]));
const yearsOf = (values: Record<string, string>, year: number) => [...new Set([year, year + 1, ...values.holidays.split("\n").map((l) => Number(l.trim().slice(0, 4))).filter((y) => y >= 2000 && y <= 2100)])];

export function slaSettings(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;
  const canEdit = (c: Context<PageEnv>) => c.get("view").user.role === "admin";
  const adminOnly = (c: Context<PageEnv>) => (canEdit(c) ? null : renderError(c, c.get("view"), 403, c.get("view").t("settings.forbidden")));
  const teams = () => teamNames(db);
  const people = () => pano.users.list().map((u) => ({ id: u.id, name: u.name }));
  const thisYear = (c: Context<PageEnv>) => Number(new Intl.DateTimeFormat("en-CA", { timeZone: c.get("view").timeZone, year: "numeric" }).format(Date.now()));
  const teamOr404 = (c: Context<PageEnv>) => {
    const team = teams().find((x) => x.id === Number(c.req.param("id")));
    if (!team) throw new PanoError("not_found", "Team not found");
    return team;
  };

  const listPage = (c: Context<PageEnv>, form: SlaForm, status: 200 | 422 = 200) => c.html(SlaPage({
    ctx: c.get("view"), canEdit: canEdit(c), form, notice: status === 200 ? noticeFrom(c) : null, people: people(),
    policies: listSlaPolicies(db).map((p) => ({ id: p.id, teamId: p.team_id, priority: p.priority, first: p.first_response_minutes, next: p.next_response_minutes, resolution: p.resolution_minutes, onBreach: parseBreachActions(p.breach_actions) })),
    teams: teams().map((t) => {
      const h = businessHoursInput(db, t.id);
      return { ...t, summary: h ? { days: WEEKDAYS.filter((d) => h.hours?.[d]).length, holidays: h.holidays?.length ?? 0, timeZone: h.time_zone ?? "Asia/Ho_Chi_Minh" } : null };
    }),
  }), status);

  app.get("/", (c) => listPage(c, { values: {}, errors: {} }));

  app.post("/", async (c) => {
    const denied = adminOnly(c);
    if (denied) return denied;
    const values = policyForm(await readForm(c));
    const r = checkPolicy(pano, values, c.get("view").t, null);
    if (!r.ok) return listPage(c, r.form, 422);
    await saveSlaPolicy(db, pano.writer, r.input, null, c.get("user").id);
    return redirectWithNotice(c, "/settings/sla", "saved");
  });

  const policyOr404 = (c: Context<PageEnv>) => {
    const p = slaPolicyById(db, Number(c.req.param("id")));
    if (!p) throw new PanoError("not_found", "SLA policy not found");
    return p;
  };
  app.get("/:id{[0-9]+}", (c) => adminOnly(c) ?? c.html(SlaPolicyEditPage({ ctx: c.get("view"), id: policyOr404(c).id, teams: teams(), people: people(), form: { values: policyValues(policyOr404(c)), errors: {} } })));
  app.post("/:id{[0-9]+}", async (c) => {
    const denied = adminOnly(c);
    if (denied) return denied;
    const cur = policyOr404(c);
    const values = policyForm(await readForm(c));
    const r = checkPolicy(pano, values, c.get("view").t, cur.id);
    if (!r.ok) return c.html(SlaPolicyEditPage({ ctx: c.get("view"), id: cur.id, teams: teams(), people: people(), form: r.form }), 422);
    await saveSlaPolicy(db, pano.writer, r.input, cur.id, c.get("user").id);
    return redirectWithNotice(c, "/settings/sla", "saved");
  });
  app.post("/:id{[0-9]+}/delete", async (c) => {
    const denied = adminOnly(c);
    if (denied) return denied;
    await deleteSlaPolicy(pano.writer, policyOr404(c).id, c.get("user").id);
    return redirectWithNotice(c, "/settings/sla", "deleted");
  });

  const hoursPage = (c: Context<PageEnv>, team: { id: number; name: string }, form: SlaForm, status: 200 | 422 = 200) => {
    const year = thisYear(c);
    return c.html(TeamHoursPage({ ctx: c.get("view"), team, form, canEdit: canEdit(c), year, known: knownHolidays(yearsOf(form.values, year)), notice: status === 200 ? noticeFrom(c) : null }), status);
  };
  app.get("/teams/:id{[0-9]+}", (c) => {
    const team = teamOr404(c);
    return hoursPage(c, team, { values: hoursValues(businessHoursInput(db, team.id)), errors: {} });
  });
  app.post("/teams/:id{[0-9]+}", async (c) => {
    const denied = adminOnly(c);
    if (denied) return denied;
    const team = teamOr404(c);
    const f = await readForm(c);
    const values = { time_zone: text(f, "time_zone"), ...Object.fromEntries(WEEKDAYS.map((d) => [`hours_${d}`, text(f, `hours_${d}`)])), holidays: text(f, "holidays") };
    const r = checkHours(values, c.get("view").t);
    if (!r.ok) return hoursPage(c, team, r.form, 422);
    await saveBusinessHours(pano.writer, team.id, r.input, c.get("user").id);
    return redirectWithNotice(c, `/settings/sla/teams/${team.id}`, "saved");
  });
  // The year's statutory holidays join the team's list; the admin then removes or adds days.
  app.post("/teams/:id{[0-9]+}/vn-holidays", async (c) => {
    const denied = adminOnly(c);
    if (denied) return denied;
    const team = teamOr404(c);
    const year = Number(text(await readForm(c), "year"));
    if (!Number.isInteger(year) || year < 2000 || year > 2100) return renderError(c, c.get("view"), 422, c.get("view").t("settings.fix_errors"));
    const cur = businessHoursInput(db, team.id);
    const holidays = [...new Set([...(cur?.holidays ?? []), ...vietnamHolidays(year).map((h) => h.date)])].sort();
    await saveBusinessHours(pano.writer, team.id, { time_zone: cur?.time_zone ?? "Asia/Ho_Chi_Minh", hours: openWeekUnlessGiven(cur?.hours ?? {}), holidays }, c.get("user").id);
    return redirectWithNotice(c, `/settings/sla/teams/${team.id}`, "saved");
  });
  return app;
}
