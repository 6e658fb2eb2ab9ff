// <data dir>/serve.json tells scripts, monitors and tests which port a running `pano serve` bound
// (PORT=0 lets the OS choose, so nobody can know it beforehand) and which process holds it.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const SERVE_REPORT = "serve.json";

export interface ServeReport {
  port: number;
  pid: number;
  url: string;
}

/** Written whole under a temporary name, then renamed: a reader never sees half a file. */
export function writeServeReport(dataDir: string, report: ServeReport): void {
  const path = join(dataDir, SERVE_REPORT);
  const tmp = `${path}.${process.pid}.tmp`;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(tmp, `${JSON.stringify(report)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/** Removes the report on a clean stop, unless another process has since written its own. */
export function removeServeReport(dataDir: string): void {
  const path = join(dataDir, SERVE_REPORT);
  try {
    if ((JSON.parse(readFileSync(path, "utf8")) as ServeReport).pid !== process.pid) return;
    rmSync(path);
  } catch {
    // already gone or unreadable: nothing of ours to remove
  }
}
