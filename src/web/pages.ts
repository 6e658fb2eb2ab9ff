// The web UI's router: assets, then one module per area. Mounted by the route table (routes.ts).
// Each area mounts under its own prefix with its own session middleware, so nothing here
// runs in front of /api or /webhooks.
import { Hono } from "hono";
import type { Pano } from "../pano.ts";
import { assetRoutes } from "./assets.ts";
import { pageErrorHandler, type PageEnv } from "./view-context.ts";
import { authPageRoutes } from "./routes/pages/auth.ts";
import { inboxPageRoutes } from "./routes/pages/inbox.ts";
import { conversationPageRoutes } from "./routes/pages/conversation.ts";
import { contactPageRoutes } from "./routes/pages/contact.ts";
import { customerHistoryRoutes } from "./routes/pages/customer-history.ts";
import { contactDuplicateRoutes } from "./routes/pages/contact-duplicates.ts";
import { livePageRoutes } from "./routes/pages/live.ts";
import { searchPageRoutes } from "./routes/pages/search.ts";
import { settingsPages } from "./settings.ts";
import { pwaRoutes } from "./pwa.ts";

export function pageRoutes(pano: Pano): Hono<PageEnv> {
  const app = new Hono<PageEnv>();
  app.onError(pageErrorHandler(pano));
  app.route("/assets", assetRoutes());
  app.route("/", authPageRoutes(pano));
  app.route("/inbox", inboxPageRoutes(pano));
  app.route("/conversations", conversationPageRoutes(pano));
  // Before the panel's routes: the profile (/contacts/:id), its history, the suggested duplicates.
  app.route("/contacts/duplicates", contactDuplicateRoutes(pano));
  app.route("/contacts", customerHistoryRoutes(pano));
  app.route("/contacts", contactPageRoutes(pano));
  app.route("/live", livePageRoutes(pano));
  app.route("/search", searchPageRoutes(pano));
  app.route("/settings", settingsPages(pano));
  // /manifest.webmanifest, /sw.js, /notifications/...
  app.route("/", pwaRoutes(pano));
  return app;
}
