// pano serve: migrate, make sure there is an admin, serve HTTP, drain on SIGTERM.
import { randomBytes } from "node:crypto";
import { loadConfig, withBoundPort } from "../config.ts";
import type { Pano } from "../pano.ts";
import { parseFlags, UsageError } from "../cli.ts";
import { createLogger } from "../log.ts";
import { afterStart, beforeServe } from "./serve-hooks.ts";
import { removeServeReport, writeServeReport } from "../ops/serve-report.ts";

export const serveUsage = `Usage: pano serve\n  Applies pending migrations, then serves on $PORT (default 3000). See README for the environment.`;

const DRAIN_MS = 5_000;
// Bun's own limit answers a bare 413 without Pano's error shape, so it sits far above
// PANO_MAX_BODY_BYTES: the app's bodyLimit refuses first (by Content-Length, or while streaming).
const BUN_BODY_CEILING = 2 ** 40;

function whileStarting(req: Request): Response {
  if (new URL(req.url).pathname === "/healthz") return Response.json({ status: "starting" }, { status: 503 });
  return Response.json(
    { error: { code: "unavailable", message: "Pano is starting (restoring or migrating its database); nothing was stored. Retry shortly." } },
    { status: 503, headers: { "retry-after": "5" } },
  );
}

async function ensureAdmin(pano: Pano): Promise<void> {
  if (pano.users.count() > 0) return;
  const { adminEmail, adminPassword } = pano.config;
  const email = adminEmail ?? "admin@localhost";
  // Instances on PostgreSQL starting together: the one that loses the race finds the admin made.
  const create = (password: string) => pano.users.create({ email, password, name: "Admin", role: "admin" }).then(() => true, (err) => {
    if (pano.users.count() > 0) return false;
    throw err;
  });
  if (adminPassword) {
    if (await create(adminPassword)) pano.log("info", "first admin created", { email });
    return;
  }
  const password = randomBytes(12).toString("base64url");
  if (!(await create(password))) return;
  // Shown once, on the console only: the operator needs it to log in the first time.
  process.stdout.write(`\n  Pano: first admin created\n  email:    ${email}\n  password: ${password}\n  Change it after logging in.\n\n`);
}

export async function serveCommand(argv: string[]): Promise<number> {
  const { flags, rest } = parseFlags(argv, { help: "boolean" });
  if (flags.help) return console.log(serveUsage), 0;
  if (rest.length) throw new UsageError(`unexpected argument "${rest.join(" ")}"`);
  const asConfigured = loadConfig();
  // Loaded here, not at the top: `pano user create`, `token create` and `--help` share main.ts
  // and should not pay for the web app, the views and the triage model.
  const [{ createPano }, { buildServer }] = await Promise.all([import("../pano.ts"), import("../web/app.ts")]);
  // Listen first: a port in use fails before any restore or migration, and while those run
  // monitors get /healthz 503 and senders a 503 to retry, rather than a refused connection.
  let server: ReturnType<typeof Bun.serve>;
  try {
    server = Bun.serve({ port: asConfigured.port, fetch: whileStarting, idleTimeout: 0, maxRequestBodySize: BUN_BODY_CEILING });
  } catch (err) {
    const why = String((err as Error).message ?? err);
    createLogger(asConfigured.logLevel)("error", "cannot listen", { port: asConfigured.port, error: why });
    console.error(`pano serve: cannot listen on port ${asConfigured.port} (${why}); stop the other server or set PORT`);
    return 1;
  }
  // Everything after this (links, OAuth callbacks, the port report) sees the port actually bound.
  const config = withBoundPort(asConfigured, server.port!);
  // Reported as soon as bound: while a restore or migration runs, a monitor can already find the
  // 503 on /healthz.
  try {
    writeServeReport(config.dataDir, { port: config.port, pid: process.pid, url: config.publicUrl });
  } catch {
    // An unwritable data dir: beforeServe names it just below, in words an operator can act on.
  }
  let pano: Pano;
  try {
    await beforeServe(config);
    pano = await createPano(config);
    await ensureAdmin(pano);
  } catch (err) {
    server.stop(true);
    removeServeReport(config.dataDir);
    throw err;
  }
  const { app, routes } = buildServer(pano);
  server.reload({ routes, fetch: (req, srv) => app.fetch(req, { server: srv }) });
  // Serving from here on: a SIGTERM now drains and stops, even one that comes while the background
  // work still starts (a supervisor stopping a Pano that only just answered /healthz), instead of
  // killing the process before its signal handlers exist.
  let stopOps: () => Promise<void> = async () => {};
  const started = (async () => {
    await pano.start();
    stopOps = await afterStart(pano);
    pano.log("info", "listening", { port: config.port, url: config.publicUrl, data_dir: config.dataDir });
  })();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    pano.log("info", "shutting down", { signal });
    await started.catch(() => {});
    // Stop accepting, let in-flight requests finish their commit, then flush and close the DB.
    // Long-lived streams (SSE) would hold the drain open: they get DRAIN_MS, then are closed.
    const drained = await Promise.race([server.stop(false).then(() => true), Bun.sleep(DRAIN_MS).then(() => false)]);
    if (!drained) await server.stop(true);
    await pano.stop();
    await stopOps(); // after the last commit, so the replica's final sync carries it
    removeServeReport(config.dataDir);
    pano.log("info", "stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  await started;
  await new Promise(() => {});
  return 0;
}
