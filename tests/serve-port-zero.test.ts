// Two Panos started at the same moment with PORT=0 on one machine: neither has to guess a free
// port, so neither can lose a race for one. Each binds whatever the OS gives it, says which in its
// "listening" log line and in <data dir>/serve.json (owner-only, gone after a clean stop), and
// the links it hands out (here: Zalo's OAuth callback) carry that port, not 0.
import { afterAll, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { startPano, type PanoProcess } from "./support/pano.ts";

const running: PanoProcess[] = [];
afterAll(async () => {
  for (const p of running) if (p.proc.exitCode === null) await p.kill();
});

const listening = (p: PanoProcess) =>
  p.logs().split("\n").flatMap((l) => { try { return [JSON.parse(l)]; } catch { return []; } }).find((l) => l.msg === "listening");

test("two Panos on PORT=0 at once both serve, each on its own reported port, and links follow the port", async () => {
  const both = await Promise.all([startPano(), startPano()]);
  running.push(...both);
  const [a, b] = both;
  expect(a.port).not.toBe(b.port);

  for (const p of both) {
    expect(p.port).toBeGreaterThan(0);
    const report = JSON.parse(readFileSync(join(p.dataDir, "serve.json"), "utf8"));
    expect(report).toEqual({ port: p.port, pid: p.proc.pid, url: `http://localhost:${p.port}` });
    expect(statSync(join(p.dataDir, "serve.json")).mode & 0o777).toBe(0o600);
    expect(listening(p)).toMatchObject({ port: p.port, url: `http://localhost:${p.port}` });
    expect((await fetch(`http://127.0.0.1:${p.port}/healthz`)).status).toBe(200);

    const ch = await p.json("/api/v1/channels", { method: "POST", json: { type: "zalo", name: "OA Shop", config: { oa_id: "4318000000000000001", app_id: "1234567890", app_secret: "bi-mat-app", oa_secret_key: "khoa-oa", access_token: "at", refresh_token: "rt" } } });
    const consent = await p.json(`/api/v1/channels/${ch.id}/zalo/connect`, { method: "POST" });
    expect(consent.callback_url).toBe(`http://localhost:${p.port}/zalo/oauth/callback`);
  }

  // Each answers as itself: a channel made on one is not on the other.
  expect((await a.json("/api/v1/channels")).data).toHaveLength(1);
  await b.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } });
  expect((await b.json("/api/v1/channels")).data).toHaveLength(2);
  expect((await a.json("/api/v1/channels")).data).toHaveLength(1);

  // A clean stop takes the report away; a crash leaves it, naming a pid that is gone.
  expect(await a.stop()).toBe(0);
  expect(existsSync(join(a.dataDir, "serve.json"))).toBe(false);
  await b.kill();
  expect(JSON.parse(readFileSync(join(b.dataDir, "serve.json"), "utf8")).pid).toBe(b.proc.pid);
}, 60_000);

test("a story's own PANO_PUBLIC_URL stays as given on PORT=0", async () => {
  const p = await startPano({ env: { PANO_PUBLIC_URL: "https://hotro.shop.vn/" } });
  running.push(p);
  expect(JSON.parse(readFileSync(join(p.dataDir, "serve.json"), "utf8"))).toEqual({ port: p.port, pid: p.proc.pid, url: "https://hotro.shop.vn" });
  expect(listening(p)).toMatchObject({ port: p.port, url: "https://hotro.shop.vn" });
  expect(p.url).toBe(`http://127.0.0.1:${p.port}`);
  expect((await p.api("/healthz")).status).toBe(200);
  await p.stop();
}, 30_000);
