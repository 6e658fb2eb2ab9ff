// /settings: the admin's pages (channels, users, teams, canned replies, tokens, routing, system).
// One session + role gate in front of all of them; each area is its own small route module, and
// this file only mounts them (what pages share, like the notice after a save, is in settings-notice.ts).
import { Hono } from "hono";
import type { Pano } from "../pano.ts";
import { pageErrorHandler, pageSession, renderError, type PageEnv } from "./view-context.ts";
import { firstArea, mayOpen, type SettingsArea } from "../../views/settings/frame.tsx";
import { channelSettings } from "./routes/pages/settings-channels.ts";
import { userSettings } from "./routes/pages/settings-users.ts";
import { teamSettings } from "./routes/pages/settings-teams.ts";
import { cannedReplySettings } from "./routes/pages/settings-canned-replies.ts";
import { macroSettings } from "./routes/pages/settings-macros.ts";
import { tokenSettings } from "./routes/pages/settings-tokens.ts";
import { routingSettings } from "./routes/pages/settings-routing.ts";
import { systemSettings } from "./routes/pages/settings-system.ts";
import { webhookSettings } from "./routes/pages/settings-webhooks.ts";
import { qaSettingsPages } from "./routes/pages/settings-qa.ts";
import { slaSettings } from "./routes/pages/settings-sla.ts";
import { categorySettings } from "./routes/pages/settings-categories.ts";

const AREA_BY_PREFIX: [string, SettingsArea][] = [
  ["/settings/channels", "channels"],
  ["/settings/users", "users"],
  ["/settings/teams", "teams"],
  ["/settings/canned-replies", "canned"],
  ["/settings/macros", "macros"],
  ["/settings/tokens", "tokens"],
  ["/settings/routing", "routing"],
  ["/settings/system", "system"],
  ["/settings/webhooks", "webhooks"],
  ["/settings/qa", "qa"],
  ["/settings/sla", "sla"],
  ["/settings/categories", "categories"],
];

function areaOf(path: string): SettingsArea | null {
  return AREA_BY_PREFIX.find(([p]) => path === p || path.startsWith(p + "/"))?.[1] ?? null;
}

export function settingsPages(pano: Pano): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  app.onError(pageErrorHandler(pano));
  app.use("*", pageSession(pano));
  app.use("*", async (c, next) => {
    const view = c.get("view");
    const area = areaOf(c.req.path);
    const allowed = area ? mayOpen(view.user.role, area) : firstArea(view.user.role) !== null;
    if (!allowed) return renderError(c, view, 403, view.t("settings.forbidden"));
    await next();
  });

  app.get("/", (c) => c.redirect(firstArea(c.get("view").user.role) ?? "/inbox", 302));
  app.route("/channels", channelSettings(pano));
  app.route("/users", userSettings(pano));
  app.route("/teams", teamSettings(pano));
  app.route("/canned-replies", cannedReplySettings(pano));
  app.route("/macros", macroSettings(pano));
  app.route("/tokens", tokenSettings(pano));
  app.route("/routing", routingSettings(pano));
  app.route("/system", systemSettings(pano));
  app.route("/webhooks", webhookSettings(pano));
  app.route("/qa", qaSettingsPages(pano));
  app.route("/sla", slaSettings(pano));
  app.route("/categories", categorySettings(pano));
  return app;
}
