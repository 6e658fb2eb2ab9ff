// The contact panel beside an open conversation (GET /contacts/:id/panel?c=<conversation>); what
// it shows is read in contact-panel.ts, editing and merging from it live in contact-edit.ts.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import { joinHtml, pageSession, type PageEnv } from "../../view-context.ts";
import { ContactPanel } from "../../../../views/contact/panel.tsx";
import { loadContactPanel, panelConversation } from "./contact-panel.ts";
import { contactEditRoutes } from "./contact-edit.ts";
import { newMessageRoutes } from "./new-message.ts";

export function contactPageRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  app.use("*", pageSession(pano));
  app.get("/:id/panel", (c) => {
    const conv = panelConversation(pano, c);
    const mode = { kind: "view" as const, focus: c.req.query("focus") === "1" };
    return c.html(joinHtml(ContactPanel({ ctx: c.get("view"), d: loadContactPanel(pano, c.get("viewer"), conv), mode })));
  });
  app.route("/", contactEditRoutes(pano));
  app.route("/", newMessageRoutes(pano));
  return app;
}
