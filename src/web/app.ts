// Builds the Hono app: middleware, then the route table (src/web/routes.ts) in its order.
import { Hono } from "hono";
import type { Server } from "bun";
import { bodyLimit } from "hono/body-limit";
import { isMultipart, uploadBodyLimit } from "./reply-files.ts";
import { secureHeaders } from "hono/secure-headers";
import type { Pano } from "../pano.ts";
import { bearerAuth, type Env } from "./auth.ts";
import { toErrorResponse, errorBody } from "./errors.ts";
import { routeTable, API_PREFIX } from "./routes.ts";

export function buildApp(pano: Pano): Hono {
  return buildServer(pano).app;
}

/**
 * The app, and the URLs the server may answer without it (`Bun.serve`'s own routes): the webhooks,
 * the same handlers the app mounts. Any other method on those URLs is left to the app.
 */
export function buildServer(pano: Pano): { app: Hono; routes: Record<string, (req: Request, server: Server<unknown>) => Promise<Response>> } {
  const app = new Hono();
  const table = routeTable(pano);
  const routes: Record<string, (req: Request, server: Server<unknown>) => Promise<Response>> = {};
  for (const [path, handler] of table.flatMap((m) => Object.entries(m.direct ?? {}))) {
    routes[path] = (req, server) => (req.method === "GET" || req.method === "POST" ? handler(req, server) : Promise.resolve(app.fetch(req, { server })));
  }
  const log = (msg: string, f: Record<string, unknown>) => pano.log("error", msg, f);
  app.onError((err, c) => toErrorResponse(c, err, log));
  app.notFound((c) => (c.req.path.startsWith("/api/") ? c.json(errorBody("not_found", "No such endpoint"), 404) : c.text("Not found", 404)));
  // Before the page and API middleware: providers get tiny plain answers and need no CSP; the
  // route keeps the body limit itself (413 JSON), so a sales-peak delivery costs only its own work.
  for (const m of table) if (m.area === "provider") app.route(m.path, m.app);
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
  // A kind's declared upload routes (a website chat's visitor files): room for the files they take.
  const kindUploads = new Map(table.flatMap((m) => m.uploads ?? []).map((u) => [u.path, limitTo(pano.config.maxAttachmentBytes * u.files + pano.config.maxBodyBytes)]));
  app.use("*", (c, next) => {
    const upload = c.req.method === "POST" && isMultipart(c.req.header("content-type"));
    return (upload && replyPath.test(c.req.path) ? uploadLimited : (upload && kindUploads.get(c.req.path)) || bodyLimited)(c, next);
  });

  for (const m of table) if (m.area === "web") app.route(m.path, m.app);

  const api = new Hono<Env>();
  api.use("*", bearerAuth(pano));
  for (const m of table) if (m.area === "api") api.route(m.path.slice(API_PREFIX.length) || "/", m.app);
  app.route(API_PREFIX, api);
  return { app, routes };
}
