// The nightly retrain runs at a quiet hour in Vietnam's time (PANO_TRIAGE_RETRAIN_AT, HH:MM, or
// off), whatever the server's own time zone; a wrong setting stops Pano at start with a message
// naming it, never at 2 a.m.
import { expect, test } from "bun:test";
import { msUntilNext } from "../src/pipeline/retrain-job.ts";
import { runPano, tempDir } from "./support/pano.ts";

const at = (iso: string) => Date.parse(iso);

test("the next run is at HH:MM Vietnam time: later today, or tomorrow once the hour has passed", () => {
  // 01:00 UTC is 08:00 in Vietnam (UTC+7): 02:30 has passed, so tomorrow's 02:30 is 18.5 h away
  expect(msUntilNext("02:30", at("2026-11-27T01:00:00Z"))).toBe(18.5 * 3600_000);
  // 19:00 UTC is 02:00 the next day in Vietnam: 02:30 is half an hour away
  expect(msUntilNext("02:30", at("2026-11-27T19:00:00Z"))).toBe(30 * 60_000);
  // exactly at the hour: the run that is due now is the one of the next day, never two at once
  expect(msUntilNext("02:30", at("2026-11-27T19:30:00Z"))).toBe(24 * 3600_000);
  expect(msUntilNext("23:59", at("2026-11-27T16:58:30Z"))).toBe(30_000);
});

test("a wrong PANO_TRIAGE_RETRAIN_AT is refused at start, naming the variable and the value", async () => {
  const r = await runPano(["serve"], { PANO_DATA_DIR: tempDir(), PORT: "0", PANO_TRIAGE_RETRAIN_AT: "2h30" });
  expect(r.code).not.toBe(0);
  expect(r.stderr + r.stdout).toContain('PANO_TRIAGE_RETRAIN_AT must be HH:MM or off, got "2h30"');
});
