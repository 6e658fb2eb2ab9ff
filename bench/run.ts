// npm run bench: every benchmark, each printing its figure beside a baseline measured in the
// same run. `npm run bench -- ingest zalo` runs a subset; BENCH_N scales the message counts.
import { existsSync } from "node:fs";
import { join } from "node:path";

const ALL = ["ingest", "webhook", "facebook", "zalo", "outbox", "email", "inbox", "search", "duplicates", "reports", "triage", "routing", "livechat", "calls", "sms", "replication", "startup", "postgres"];
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
let failed = 0;
for (const name of wanted) {
  const file = join(import.meta.dir, `${name}.ts`);
  if (!existsSync(file)) {
    console.log(`bench/${name}: not present in this build`);
    continue;
  }
  console.log(`\n=== bench/${name} ===`);
  try {
    const mod = await import(file);
    await mod.run();
  } catch (err) {
    failed++;
    console.error(`bench/${name} failed: ${String((err as Error)?.stack ?? err)}`);
  }
}
process.exit(failed ? 1 : 0);
