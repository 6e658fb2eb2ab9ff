// Builds the Hono app: middleware, then one route module per area.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import type { Pano } from "../pano.ts";
import { bearerAuth, type Env } from "./auth.ts";
import { toErrorResponse, errorBody } from "./errors.ts";
import { opsRoutes } from "./routes/ops.ts";
import { webhookRoutes } from "./routes/webhooks.ts";
import { channelRoutes } from "./routes/api/channels.ts";
import { conversationRoutes } from "./routes/api/conversations.ts";
import { contactRoutes } from "./routes/api/contacts.ts";
import { teamRoutes } from "./routes/api/team.ts";
import { reportRoutes } from "./routes/api/reports.ts";
import { mountExtensions } from "./extensions.ts";

export function buildApp(pano: Pano): Hono {
  const app = new Hono();
  const log = (msg: string, f: Record<string, unknown>) => pano.log("error", msg, f);
  app.onError((err, c) => toErrorResponse(c, err, log));
  app.notFound((c) => (c.req.path.startsWith("/api/") ? c.json(errorBody("not_found", "No such endpoint"), 404) : c.text("Not found", 404)));
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", "data:", "https:"],
        connectSrc: ["'self'"], frameAncestors: ["'none'"], formAction: ["'self'"], objectSrc: ["'none'"], baseUri: ["'none'"],
      },
      xFrameOptions: "DENY",
      referrerPolicy: "same-origin",
    }),
  );
  app.use("*", bodyLimit({ maxSize: pano.config.maxBodyBytes, onError: (c) => c.json(errorBody("payload_too_large", `The body is over ${pano.config.maxBodyBytes} bytes`), 413) }));

  app.route("/", opsRoutes(pano));
  app.route("/webhooks", webhookRoutes(pano));

  const api = new Hono<Env>();
  api.use("*", bearerAuth(pano));
  api.route("/channels", channelRoutes(pano));
  api.route("/conversations", conversationRoutes(pano));
  api.route("/contacts", contactRoutes(pano));
  api.route("/reports", reportRoutes(pano));
  api.route("/", teamRoutes(pano));
  mountExtensions(pano, app, api);
  app.route("/api/v1", api);
  return app;
}
