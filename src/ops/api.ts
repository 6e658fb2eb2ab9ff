// Admin endpoints of operations: replication state and the audit log.
import { Hono } from "hono";
import type { Pano } from "../pano.ts";
import { requireRole, type Env } from "../web/auth.ts";
import { auditRoutes } from "../web/routes/api/audit.ts";
import { replicationReport } from "./replication.ts";

export function opsApiRoutes(pano: Pano) {
  const app = new Hono<Env>();
  app.get("/ops/replication", requireRole("admin"), (c) => c.json(replicationReport(pano)));
  app.route("/audit", auditRoutes(pano));
  return app;
}
