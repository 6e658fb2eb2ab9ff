// Stories of an operator using the pano command line.
import { expect, test } from "bun:test";
import { runPano, tempDir } from "./support/pano.ts";

test("every command answers --help with its usage", async () => {
  for (const args of [["--help"], ["serve", "--help"], ["user", "--help"], ["token", "--help"]]) {
    const r = await runPano(args, {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage");
  }
});

test("a wrong flag prints the usage and exits 2", async () => {
  const r = await runPano(["user", "create", "--emial", "x@y.z"], { PANO_DATA_DIR: tempDir() });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("unknown flag --emial");
  expect(r.stderr).toContain("Usage");
});

test("an operator creates a user and then an API token for them", async () => {
  const dir = tempDir();
  const u = await runPano(["user", "create", "--email", "Quan.Ly@Shop.vn", "--password", "mat-khau-123", "--name", "Quản lý", "--role", "supervisor"], { PANO_DATA_DIR: dir });
  expect(u.code).toBe(0);
  expect(JSON.parse(u.stdout)).toMatchObject({ email: "quan.ly@shop.vn", role: "supervisor" });
  const again = await runPano(["user", "create", "--email", "quan.ly@shop.vn", "--password", "mat-khau-456"], { PANO_DATA_DIR: dir });
  expect(again.code).toBe(1);
  const t = await runPano(["token", "create", "--name", "zapier", "--user", "quan.ly@shop.vn"], { PANO_DATA_DIR: dir });
  expect(t.code).toBe(0);
  expect(t.stdout.trim()).toMatch(/^pano_[A-Za-z0-9_-]{40,}$/);
});

test("an unknown command exits 2", async () => {
  const r = await runPano(["frobnicate"], {});
  expect(r.code).toBe(2);
});
