// pano token create --name N [--user EMAIL]: prints a new API token once; only its hash is kept.
import { loadConfig } from "../config.ts";
import { openStore } from "../store/db.ts";
import { Writer } from "../store/writer.ts";
import { Users } from "../store/users.ts";
import { parseFlags, UsageError } from "../cli.ts";

export const tokenUsage = `Usage: pano token create --name N [--user EMAIL]   (default user: the first admin)`;

export async function tokenCommand(argv: string[]): Promise<number> {
  const { flags, rest } = parseFlags(argv, { name: "string", user: "string", help: "boolean" });
  if (flags.help) return console.log(tokenUsage), 0;
  if (rest[0] !== "create" || rest.length > 1) throw new UsageError("expected: pano token create");
  if (!flags.name) throw new UsageError("--name is required");
  const config = loadConfig();
  const store = openStore(config.dataDir, { synchronous: config.synchronous });
  const users = new Users(store.sqlite, new Writer(store.sqlite, { windowMs: 0, max: 100, afterCommit: () => {} }));
  try {
    const user = flags.user ? users.byEmail(String(flags.user)) : users.list().find((u) => u.role === "admin") ?? null;
    if (!user) {
      console.error(flags.user ? `No user with email ${flags.user}` : "No admin user yet: run `pano user create --role admin` or start Pano once");
      return 1;
    }
    console.log(await users.createToken(user.id, String(flags.name)));
    return 0;
  } finally {
    store.close();
  }
}
