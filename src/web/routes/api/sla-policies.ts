// /api/v1/sla-policies and /api/v1/teams/:id/business-hours: service-level targets per team and
// priority (minutes of business time), and the opening hours and holidays they count in.
import { Hono } from "hono";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { requireRole } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { WEEKDAYS } from "../../../domain/sla.ts";
import { parseBreachActions } from "../../../domain/sla-breach.ts";
import { listSlaPolicies, slaPolicyById, saveSlaPolicy, deleteSlaPolicy, slaPolicyInputSchema, saveBusinessHours, businessHoursInput, type SlaPolicyRow } from "../../../store/sla-policies.ts";
import { teamById } from "../../../store/teams.ts";
import { idParam, readJson, pageById, patchOf } from "./input.ts";
import { iso, sid } from "./present.ts";

const present = (p: SlaPolicyRow) => ({
  id: sid(p.id), team_id: sid(p.team_id), priority: p.priority, first_response_minutes: p.first_response_minutes,
  next_response_minutes: p.next_response_minutes, resolution_minutes: p.resolution_minutes, on_breach: parseBreachActions(p.breach_actions), created_at: iso(p.created_at),
});

const hoursSchema = z.object({
  time_zone: z.string().max(64).optional(),
  hours: z.partialRecord(z.enum(WEEKDAYS), z.string().max(200)),
  holidays: z.array(z.string().max(10)).max(400).optional(),
}).nullable();

export function slaRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const db = pano.store.sqlite;
  const admin = requireRole("admin");
  const managers = requireRole("admin", "supervisor");

  app.get("/sla-policies", managers, (c) => c.json(pageById(c, listSlaPolicies(db).map(present), (p) => Number(p.id))));
  app.post("/sla-policies", admin, async (c) => {
    const body = await readJson(c, slaPolicyInputSchema);
    return c.json(present(await saveSlaPolicy(db, pano.writer, body, null, c.get("user").id)), 201);
  });
  app.patch("/sla-policies/:id", admin, async (c) => {
    const cur = slaPolicyById(db, idParam(c));
    if (!cur) throw new PanoError("not_found", "Not found");
    const patch = await readJson(c, patchOf(slaPolicyInputSchema));
    const merged = {
      team_id: cur.team_id, priority: cur.priority as never, first_response_minutes: cur.first_response_minutes, next_response_minutes: cur.next_response_minutes, resolution_minutes: cur.resolution_minutes,
      on_breach: parseBreachActions(cur.breach_actions), ...patch,
    };
    return c.json(present(await saveSlaPolicy(db, pano.writer, merged, cur.id, c.get("user").id)));
  });
  app.delete("/sla-policies/:id", admin, async (c) => {
    if (!(await deleteSlaPolicy(pano.writer, idParam(c), c.get("user").id))) throw new PanoError("not_found", "Not found");
    return c.body(null, 204);
  });

  app.get("/teams/:id/business-hours", managers, (c) => {
    const id = idParam(c);
    if (!teamById(db, id)) throw new PanoError("not_found", "Not found");
    return c.json({ business_hours: businessHoursInput(db, id) });
  });
  app.put("/teams/:id/business-hours", admin, async (c) => {
    const id = idParam(c);
    if (!teamById(db, id)) throw new PanoError("not_found", "Not found");
    const body = await readJson(c, z.object({ business_hours: hoursSchema }));
    await saveBusinessHours(pano.writer, id, body.business_hours, c.get("user").id);
    return c.json({ business_hours: businessHoursInput(db, id) });
  });
  return app;
}
