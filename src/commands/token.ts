// pano token create --name N [--user EMAIL] [--scopes read,write,admin] [--channel ID]...: prints a
// new API token once; only its hash is kept. Without --scopes a token has its user's full rights.
import { loadConfig } from "../config.ts";
import { openStore } from "../store/db.ts";
import { Writer } from "../store/writer.ts";
import { Users } from "../store/users.ts";
import { missingChannels } from "../store/api-tokens-admin.ts";
import { FULL_GRANT, parseScopes, type TokenGrant } from "../domain/token-scope.ts";
import { parseFlags, UsageError } from "../cli.ts";

export const tokenUsage = `Usage: pano token create --name N [--user EMAIL] [--scopes read,write,admin] [--channel ID]...
  --user EMAIL     whose rights the token carries (default: the first admin)
  --scopes LIST    what it may do: read (GET), write (changes), admin (admin-only routes); default all three
  --channel ID     limit it to these channels (repeat or comma list); needed to post inbound messages without admin`;

function grantFrom(flags: Record<string, string | boolean>): TokenGrant {
  let scopes = FULL_GRANT.scopes;
  if (flags.scopes !== undefined) {
    const parsed = parseScopes(String(flags.scopes));
    if ("unknown" in parsed) throw new UsageError(`--scopes: unknown scope ${parsed.unknown.join(", ")} (use read, write, admin)`);
    if (!parsed.scopes.length) throw new UsageError("--scopes: name at least one of read, write, admin");
    scopes = parsed.scopes;
  }
  if (flags.channel === undefined) return { scopes, channelIds: null };
  const words = String(flags.channel).split(",").map((w) => w.trim());
  const bad = words.filter((w) => !/^\d+$/.test(w));
  if (bad.length) throw new UsageError(`--channel: not a channel id: ${bad.join(", ")}`);
  return { scopes, channelIds: [...new Set(words.map(Number))] };
}

export async function tokenCommand(argv: string[]): Promise<number> {
  const { flags, rest } = parseFlags(argv, { name: "string", user: "string", scopes: "string", channel: "list", help: "boolean" });
  if (flags.help) return console.log(tokenUsage), 0;
  if (rest[0] !== "create" || rest.length > 1) throw new UsageError("expected: pano token create");
  if (!flags.name) throw new UsageError("--name is required");
  const grant = grantFrom(flags);
  const config = loadConfig();
  const store = openStore(config.dataDir, { synchronous: config.synchronous, databaseUrl: config.databaseUrl });
  const users = new Users(store.sqlite, new Writer(store.sqlite, { windowMs: 0, max: 100, afterCommit: () => {} }));
  try {
    const user = flags.user ? users.byEmail(String(flags.user)) : users.list().find((u) => u.role === "admin") ?? null;
    if (!user) {
      console.error(flags.user ? `No user with email ${flags.user}` : "No admin user yet: run `pano user create --role admin` or start Pano once");
      return 1;
    }
    const missing = missingChannels(store.sqlite, grant.channelIds ?? []);
    if (missing.length) {
      console.error(`No channel with id ${missing.join(", ")}`);
      return 1;
    }
    console.log(await users.createToken(user.id, String(flags.name), grant));
    return 0;
  } finally {
    store.close();
  }
}
