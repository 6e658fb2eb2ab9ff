// Every URL Pano serves, in one list: the providers' webhooks, operations, the REST API, each
// channel kind's own routes and the web UI. app.ts adds the middleware and mounts these in order.
import type { Hono } from "hono";
import type { Pano } from "../pano.ts";
import type { ChannelKind } from "../channels/channel.ts";
import { allChannelKinds } from "../channels/registry.ts";
import { channelHttp } from "./channel-http.ts";
import { webhookRoute, webhookHandler, webhookRejects, webhookPath, noWebhook, type WebhookHandler } from "./routes/webhooks.ts";
import { opsRoutes } from "./routes/ops.ts";
import { channelRoutes } from "./routes/api/channels.ts";
import { conversationRoutes } from "./routes/api/conversations.ts";
import { conversationStartRoutes } from "./routes/api/conversation-start.ts";
import { channelTemplateRoutes } from "./routes/api/channel-templates.ts";
import { composerRoutes } from "./routes/api/composer.ts";
import { callOutcomeRoutes } from "./routes/api/call-outcome.ts";
import { contactRoutes } from "./routes/api/contacts.ts";
import { reportRoutes } from "./routes/api/reports.ts";
import { slaRoutes } from "./routes/api/sla-policies.ts";
import { teamRoutes } from "./routes/api/team.ts";
import { routingRuleRoutes } from "./routes/api/routing-rules.ts";
import { triageRoutes } from "./routes/api/triage.ts";
import { categoryRoutes } from "./routes/api/categories.ts";
import { presenceRoutes } from "./routes/api/presence.ts";
import { cannedReplyRoutes } from "./routes/api/canned-replies.ts";
import { searchRoutes } from "./routes/api/search.ts";
import { macroRoutes } from "./routes/api/macros.ts";
import { csatRoutes } from "./routes/api/csat.ts";
import { webhookRoutes } from "./routes/api/webhooks.ts";
import { qaRoutes } from "./routes/api/qa.ts";
import { opsApiRoutes } from "../ops/api.ts";
import { reportPages } from "./routes/pages/reports.ts";
import { qaPages } from "./routes/pages/qa.ts";
import { csatLinkPages } from "./routes/pages/csat-links.ts";
import { pageRoutes } from "./pages.ts";
import { notificationApiRoutes } from "./routes/api/notifications.ts";

export const API_PREFIX = "/api/v1";

export interface Mount {
  /**
   * "provider": before the page middleware (tiny plain answers, no CSP, the route's own body
   * limit); "web": the site, behind secure headers and the body limit; "api": under /api/v1,
   * behind token auth as well.
   */
  area: "provider" | "web" | "api";
  /** Where it is mounted, in full (/webhooks/zalo, /api/v1/channels). */
  path: string;
  /** The URLs it serves, for a reader of this table. */
  serves: string;
  app: Hono<any>;
  /** Full paths that take a multipart upload of up to `files` files (a kind's declared uploads): app.ts gives them room. */
  uploads?: { path: string; files: number }[];
  /** The same answers without the framework, by full path: the server routes these natively (the webhooks). */
  direct?: Record<string, WebhookHandler>;
}

/** The REST API's own areas, in mount order: [path under /api/v1, the URLs it serves, its routes]. */
const API_AREAS: [string, string, (pano: Pano) => Hono<any>][] = [
  ["/channels", "/api/v1/channels[/:id[/inbound]]", channelRoutes],
  ["/channels", "/api/v1/channels/:id/templates[/sync], /api/v1/channels/:id/usage", channelTemplateRoutes],
  ["/conversations", "POST /api/v1/conversations, GET /api/v1/conversations/reach", conversationStartRoutes],
  ["/conversations", "/api/v1/conversations[/:id[/messages]]", conversationRoutes],
  ["/conversations", "/api/v1/conversations/:id/composer", composerRoutes],
  ["/conversations", "/api/v1/conversations/:id/calls/:message_id/outcome", callOutcomeRoutes],
  ["/contacts", "/api/v1/contacts[/:id[/merge]]", contactRoutes],
  ["/reports", "/api/v1/reports/summary[.csv], /timeseries, /conversations.csv, /messages.csv", reportRoutes],
  ["", "/api/v1/users, /api/v1/teams", teamRoutes],
  ["", "/api/v1/sla-policies[/:id], /api/v1/teams/:id/business-hours", slaRoutes],
  ["/routing-rules", "/api/v1/routing-rules[/:id]", routingRuleRoutes],
  ["/triage", "/api/v1/triage", triageRoutes],
  ["/categories", "/api/v1/categories[/:id], /api/v1/categories/suggest", categoryRoutes],
  ["", "/api/v1/presence", presenceRoutes],
  ["", "/api/v1/ops/replication, /api/v1/audit", opsApiRoutes],
  ["/canned-replies", "/api/v1/canned-replies[/:id]", cannedReplyRoutes],
  ["/search", "/api/v1/search", searchRoutes],
  ["/notifications", "/api/v1/notifications[/:id/read, /read-all, /settings]", notificationApiRoutes],
  ["/macros", "/api/v1/macros[/:id[/run]]", macroRoutes],
  ["", "/api/v1/teams/:id/csat", csatRoutes],
  ["/webhooks", "/api/v1/webhooks[/:id[/ping|/deliveries[/:delivery[/redeliver]]]]", webhookRoutes],
  ["/qa", "/api/v1/qa/scorecards[/:id], /settings, /queue[/:id/skip], /reviews[/:id[/acknowledge|dispute|answer]], /suggestions", qaRoutes],
];

const withWebhook = (k: ChannelKind): k is ChannelKind & Required<Pick<ChannelKind, "webhook">> => !!k.webhook;

export function routeTable(pano: Pano): Mount[] {
  const kinds = allChannelKinds();
  const rejects = webhookRejects();
  const http = channelHttp(pano);
  const api = (path: string, serves: string, app: Hono<any>): Mount => ({ area: "api", path: `${API_PREFIX}${path}`, serves, app });
  return [
    // A kind's provider callbacks (a switchboard's answer URL), before the webhooks' 404 for what they do not serve.
    ...kinds.flatMap((k) => (k.routes ?? []).filter((r) => r.area === "provider").map((r): Mount => ({ area: "provider", path: r.path, serves: `${k.type}: ${r.path}/...`, app: r.app(http) }))),
    ...kinds.filter(withWebhook).map((k): Mount => {
      const handler = webhookHandler(pano, k, rejects);
      return { area: "provider", path: webhookPath(k.type), serves: `GET, POST ${webhookPath(k.type)}`, app: webhookRoute(handler, k), direct: { [webhookPath(k.type)]: handler } };
    }),
    { area: "provider", path: "/webhooks", serves: "404 for a type without webhooks", app: noWebhook() },

    { area: "web", path: "/", serves: "/healthz, /metrics", app: opsRoutes(pano) },

    ...API_AREAS.map(([path, serves, routes]) => api(path, serves, routes(pano))),

    // Each channel kind's own routes (Zalo: /zalo/oauth/start/:id, /zalo/oauth/callback, POST /api/v1/channels/:id/zalo/connect).
    ...kinds.flatMap((k) => (k.routes ?? []).filter((r) => r.area !== "provider").map((r): Mount => {
      const mount = r.area === "api" ? api(r.path, `${k.type}: ${API_PREFIX}${r.path}/...`, r.app(http)) : { area: "web" as const, path: r.path, serves: `${k.type}: ${r.path}/...`, app: r.app(http) };
      return r.uploads ? { ...mount, uploads: r.uploads.map((u) => ({ path: mount.path.replace(/\/$/, "") + u.path, files: u.files })) } : mount;
    })),

    { area: "web", path: "/csat", serves: "/csat/rate, /csat/comment, /csat/stop (an emailed survey's links, no login)", app: csatLinkPages(pano) },
    { area: "web", path: "/reports", serves: "/reports", app: reportPages(pano) },
    { area: "web", path: "/qa", serves: "/qa: review queue, review screen, reviews, disputes, scores", app: qaPages(pano) },
    { area: "web", path: "/", serves: "/login, /logout, /account, /assets, /inbox, /conversations, /contacts, /live, /search, /settings", app: pageRoutes(pano) },
  ];
}
