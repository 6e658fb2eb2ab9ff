#!/usr/bin/env bun
// The CLI: parses argv, runs one command. `serve` is the default.
import { UsageError } from "./cli.ts";
import { ConfigError } from "./config.ts";
import { serveCommand, serveUsage } from "./commands/serve.ts";
import { userCommand, userUsage } from "./commands/user.ts";
import { tokenCommand, tokenUsage } from "./commands/token.ts";
import { backupCommand, backupUsage } from "./commands/backup.ts";
import { restoreCommand, restoreUsage } from "./commands/restore.ts";
import { searchCommand, searchUsage } from "./commands/search.ts";
import { reportsCommand, reportsUsage } from "./commands/reports.ts";
import { healthcheckCommand } from "./ops/healthcheck.ts";
import { PRIVATE_UMASK } from "./store/private-files.ts";

const USAGE = `Pano: a unified inbox for Zalo OA, Facebook Messenger and email.

Usage: pano <command> [flags]

Commands:
  serve                 apply migrations and serve (default)
  user create           --email E --password P [--name N] [--role admin|supervisor|agent]
  token create          --name N [--user EMAIL] [--scopes read,write,admin] [--channel ID]   print a new API token (shown once)
  backup                [--to FILE]               a consistent snapshot now
  restore               [--to DIR] [--timestamp T] [--force] [--from FILE]
  healthcheck           exit 0 when the local server answers /healthz (Docker HEALTHCHECK)
  triage                [--shipped]  read {"text": ...} JSON lines on stdin, write classifications
  triage retrain        learn from agents' corrections; the new model is kept only if not worse
  search rebuild        rebuild the full-text search index from the database
  reports rebuild       [--from DATE] [--to DATE]  rebuild the dashboard's hourly roll-ups from the raw rows

Every command accepts --help.
${serveUsage}
${userUsage}
${tokenUsage}
${backupUsage}
${restoreUsage}
${searchUsage}
${reportsUsage}`;

type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, Command> = {
  serve: serveCommand,
  user: userCommand,
  token: tokenCommand,
  backup: backupCommand,
  restore: restoreCommand,
  healthcheck: healthcheckCommand,
  search: searchCommand,
  reports: reportsCommand,
  triage: async (argv) => (await import("./commands/triage.ts")).triageCommand(argv, { stdin: Bun.stdin.stream(), write: (s: string) => process.stdout.write(s) }),
};

async function main(argv: string[]): Promise<number> {
  // Before any command creates a file: the data, its backups and restores are the owner's alone.
  process.umask(PRIVATE_UMASK);
  const [name, ...rest] = argv;
  if (name === "--help" || name === "-h" || name === "help") return console.log(USAGE), 0;
  const cmd = commands[name ?? "serve"];
  if (!cmd) {
    console.error(`pano: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await cmd(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`pano ${name}: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      console.error(`pano: configuration error: ${err.message}`);
      return 2;
    }
    // The machine said no (ENOTDIR, EACCES, SQLITE_FULL...): one line an operator can act on.
    // Anything else is a bug and keeps its stack.
    const code = (err as { code?: unknown })?.code;
    if (typeof code === "string" && /^(E[A-Z]+|SQLITE_[A-Z_]+)$/.test(code)) {
      console.error(`pano ${name ?? "serve"}: ${(err as Error).message} (${code})`);
      return 1;
    }
    throw err;
  }
}

process.exit(await main(process.argv.slice(2)));
