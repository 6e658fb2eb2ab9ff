// Story: a newcomer opens src/web/routes.ts and sees every URL Pano serves in one list: the
// providers' webhooks, each channel kind's own routes (Zalo's OAuth callback), the REST API under
// /api/v1 and the web UI (/login). The app serves exactly what the table says, in the same places.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config.ts";
import { createPano, type Pano } from "../src/pano.ts";
import { buildApp } from "../src/web/app.ts";
import { routeTable, type Mount } from "../src/web/routes.ts";
import { allChannelKinds } from "../src/channels/registry.ts";

let pano: Pano;
let table: Mount[];
let served: Set<string>;
let app: ReturnType<typeof buildApp>;

beforeAll(async () => {
  pano = await createPano(loadConfig({ PANO_DATA_DIR: mkdtempSync(join(tmpdir(), "pano-routes-")), PANO_TRIAGE: "off", PANO_LOG_LEVEL: "error" }));
  table = routeTable(pano);
  app = buildApp(pano);
  served = new Set(app.routes.map((r) => r.path));
});
afterAll(() => pano.stop());

test("the table lists the providers' webhooks, Zalo's OAuth routes, the REST API and the web UI", () => {
  const mounts = table.map((m) => `${m.area} ${m.path}`);
  expect(mounts).toContain("provider /webhooks/facebook");
  expect(mounts).toContain("provider /webhooks/zalo");
  expect(mounts).toContain("web /zalo/oauth");
  expect(mounts).toContain("api /api/v1/channels");
  expect(mounts).toContain("api /api/v1/conversations");
  expect(mounts).toContain("api /api/v1/routing-rules");
  expect(mounts).toContain("web /");
  // Every entry says what it serves, for the reader.
  for (const m of table) expect(m.serves.length).toBeGreaterThan(0);
});

test("the app serves the known URLs where the table mounts them", () => {
  for (const path of [
    "/webhooks/facebook", "/webhooks/zalo",
    "/zalo/oauth/start/:id", "/zalo/oauth/callback",
    "/healthz", "/metrics",
    "/api/v1/channels", "/api/v1/channels/:id", "/api/v1/channels/:id/inbound", "/api/v1/channels/:id/zalo/connect",
    "/api/v1/conversations/:id/messages", "/api/v1/contacts", "/api/v1/routing-rules", "/api/v1/users", "/api/v1/teams",
    "/api/v1/reports/summary", "/api/v1/audit",
    "/login", "/inbox", "/settings/channels", "/reports",
  ]) expect([...served]).toContain(path);
});

test("every kind with a webhook has its /webhooks/<type>; a type without one answers 404 in the API's shape", async () => {
  for (const k of allChannelKinds()) {
    if (k.webhook) expect(table.some((m) => m.area === "provider" && m.path === `/webhooks/${k.type}`)).toBe(true);
    for (const r of k.routes ?? []) expect(table.some((m) => m.path === (r.area === "api" ? `/api/v1${r.path}` : r.path))).toBe(true);
  }
  const res = await app.request("/webhooks/email", { method: "POST", body: "{}" });
  expect(res.status).toBe(404);
  expect((await res.json()).error.code).toBe("not_found");
});
