// pano search rebuild: refolds every message and contact into the full-text index. Safe while
// Pano serves: it works in small transactions and the writer keeps indexing new messages.
import { loadConfig } from "../config.ts";
import { openStore } from "../store/db.ts";
import { rebuildSearchIndex, searchIndexBytes } from "../store/search-index.ts";
import { parseFlags, UsageError } from "../cli.ts";

export const searchUsage = `Usage: pano search rebuild
  Rebuilds the full-text search index (messages, contacts) from the database; prints what it indexed.`;

export async function searchCommand(argv: string[]): Promise<number> {
  const { flags, rest } = parseFlags(argv, { help: "boolean" });
  if (flags.help) return console.log(searchUsage), 0;
  if (rest[0] !== "rebuild" || rest.length > 1) throw new UsageError("expected: pano search rebuild");
  const config = loadConfig();
  const store = openStore(config.dataDir, { synchronous: config.synchronous, databaseUrl: config.databaseUrl });
  try {
    const started = Date.now();
    const done = rebuildSearchIndex(store.sqlite, (n) => {
      if (n % 100_000 === 0) process.stderr.write(`  ${n} messages indexed\n`);
    });
    const bytes = searchIndexBytes(store.sqlite);
    console.log(`search index rebuilt: ${done.messages} messages, ${done.contacts} contacts in ${Date.now() - started} ms${bytes === null ? "" : `, ${(bytes / 1048576).toFixed(1)} MiB`}`);
    return 0;
  } finally {
    store.close();
  }
}
