// /api/v1/triage: classify a text the way the pipeline does (for integrations and the settings
// page), and retrain now from agents' corrections instead of waiting for the night.
// Corrections themselves are made with PATCH /api/v1/conversations/:id (intent, urgent).
import { Hono } from "hono";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import { requireRole, type Env } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { classify } from "../../../domain/triage/index.ts";
import { readJson } from "./input.ts";

const classifySchema = z.object({ text: z.string().max(20_000) });

export function triageRoutes(pano: Pano) {
  const app = new Hono<Env>();

  app.post("/", async (c) => {
    const body = await readJson(c, classifySchema);
    const t = classify(pano.triageModel.current, body.text);
    return c.json({ intent: t.intent, urgent: t.urgent, confidence: Math.round(t.confidence * 1e4) / 1e4 });
  });

  app.post("/retrain", requireRole("admin"), async (c) => {
    const job = pano.routing?.retrain;
    if (!job) throw new PanoError("unavailable", "Triage is turned off on this server (PANO_TRIAGE=off)");
    return c.json(await job.runNow());
  });

  return app;
}
