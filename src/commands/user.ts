// pano user create --email E --password P [--name N] [--role admin|supervisor|agent]
import { loadConfig } from "../config.ts";
import { openStore } from "../store/db.ts";
import { Writer } from "../store/writer.ts";
import { Users } from "../store/users.ts";
import { parseFlags, UsageError } from "../cli.ts";
import { ROLES, type Role } from "../domain/conversation.ts";

export const userUsage = `Usage: pano user create --email E --password P [--name N] [--role admin|supervisor|agent]`;

export async function userCommand(argv: string[]): Promise<number> {
  const { flags, rest } = parseFlags(argv, { email: "string", password: "string", name: "string", role: "string", help: "boolean" });
  if (flags.help) return console.log(userUsage), 0;
  if (rest[0] !== "create" || rest.length > 1) throw new UsageError("expected: pano user create");
  for (const required of ["email", "password"]) if (flags[required] === undefined) throw new UsageError(`--${required} is required`);
  const email = String(flags.email ?? "");
  const password = String(flags.password ?? "");
  const role = String(flags.role ?? "agent") as Role;
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UsageError("--email must be an email address");
  if (password.length < 8) throw new UsageError("--password must be at least 8 characters");
  if (!ROLES.includes(role)) throw new UsageError("--role must be admin, supervisor or agent");
  const config = loadConfig();
  const store = openStore(config.dataDir, { synchronous: config.synchronous, databaseUrl: config.databaseUrl });
  const users = new Users(store.sqlite, new Writer(store.sqlite, { windowMs: 0, max: 100, afterCommit: () => {} }));
  try {
    if (users.byEmail(email)) {
      console.error(`A user with email ${email} already exists`);
      return 1;
    }
    const u = await users.create({ email, password, name: flags.name ? String(flags.name) : undefined, role });
    console.log(JSON.stringify({ id: String(u.id), email: u.email, role: u.role }));
    return 0;
  } finally {
    store.close();
  }
}
