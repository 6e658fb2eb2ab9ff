// Builds the Hono app: middleware, then one route module per area.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { isMultipart, uploadBodyLimit } from "./reply-files.ts";
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
  // Before the page and API middleware: providers get tiny plain answers and need no CSP; the
  // route keeps the body limit itself (413 JSON), so a sales-peak delivery costs only its own work.
  app.route("/webhooks", webhookRoutes(pano));
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", "data:", "https:"],
        connectSrc: ["'self'"], frameAncestors: ["'none'"], formAction: ["'self'"], objectSrc: ["'none'"], baseUri: ["'none'"],
      },
      xFrameOptions: "DENY",
      referrerPolicy: "same-origin",
      // A route that sets its own policy keeps it: /files serves customers' files under a sandbox.
      overwrite: false,
    }),
  );
  const limitTo = (maxSize: number) => bodyLimit({ maxSize, onError: (c) => c.json(errorBody("payload_too_large", `The body is over ${maxSize} bytes`), 413) });
  const bodyLimited = limitTo(pano.config.maxBodyBytes);
  // A reply may carry files: only there does a multipart body get room for them.
  const uploadLimited = limitTo(uploadBodyLimit(pano.config.maxAttachmentBytes, pano.config.maxBodyBytes));
  const replyPath = /^\/(api\/v1\/)?conversations\/\d+\/messages$/;
  app.use("*", (c, next) => (c.req.method === "POST" && isMultipart(c.req.header("content-type")) && replyPath.test(c.req.path) ? uploadLimited : bodyLimited)(c, next));

  app.route("/", opsRoutes(pano));

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
