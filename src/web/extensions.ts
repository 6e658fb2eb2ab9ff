// Route modules added by later areas (web UI, routing rules, reports, settings) register here,
// so app.ts stays the same size as Pano grows.
import type { Hono } from "hono";
import type { Pano } from "../pano.ts";
import type { Env } from "./auth.ts";
import { pageRoutes } from "./pages.ts";
import { reportPages } from "./routes/pages/reports.ts";
import { composerRoutes } from "./routes/api/composer.ts";
import { routingRuleRoutes } from "./routes/api/routing-rules.ts";
import { triageRoutes } from "./routes/api/triage.ts";
import { presenceRoutes } from "./routes/api/presence.ts";
import { opsApiRoutes } from "../ops/api.ts";
import { cannedReplyRoutes } from "./routes/api/canned-replies.ts";
import { mountZaloOauth } from "./routes/zalo-oauth.ts";

export function mountExtensions(pano: Pano, app: Hono, api: Hono<Env>): void {
  mountZaloOauth(pano, app, api);
  api.route("/conversations", composerRoutes(pano));
  api.route("/routing-rules", routingRuleRoutes(pano));
  api.route("/triage", triageRoutes(pano));
  api.route("/", presenceRoutes(pano));
  api.route("/", opsApiRoutes(pano));
  api.route("/canned-replies", cannedReplyRoutes(pano));
  app.route("/reports", reportPages(pano));
  app.route("/", pageRoutes(pano));
}
