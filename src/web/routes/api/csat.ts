// /api/v1/teams/:id/csat: a team's satisfaction survey settings (docs/csat.md). Anyone may read
// them; only admins change them, through the same schema as Settings › Teams.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { requireRole } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { teamExists } from "../../../store/teams.ts";
import { readCsatSettings, saveCsatSettings } from "../../../store/csat.ts";
import { csatSettingsSchema, mergeCsatSettings, presentCsatSettings } from "../../csat-settings-input.ts";
import { readJson, idParam } from "./input.ts";

export function csatRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const db = pano.store.sqlite;
  const team = (id: number) => {
    if (!teamExists(db, id)) throw new PanoError("not_found", "Team not found");
    return id;
  };

  app.get("/teams/:id/csat", (c) => {
    const id = team(idParam(c));
    return c.json(presentCsatSettings(id, readCsatSettings(db, id)));
  });

  app.patch("/teams/:id/csat", requireRole("admin"), async (c) => {
    const id = team(idParam(c));
    const body = await readJson(c, csatSettingsSchema);
    const next = mergeCsatSettings(readCsatSettings(db, id), body);
    await pano.writer.submit((tx) => saveCsatSettings(tx, id, next, c.get("user").id));
    return c.json(presentCsatSettings(id, next));
  });

  return app;
}
