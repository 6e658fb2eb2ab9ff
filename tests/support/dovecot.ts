// A real Dovecot IMAP server for tests and benchmarks: started as root with a throw-away config
// (its own base_dir, state_dir, port and log), one test user with a maildir, killed on teardown.
// Mail arrives either by IMAP APPEND (as a mail client would) or by dropping files into the
// maildir's new/ folder (as a delivery agent would), which is the fast path for bulk loads.
import { mkdirSync, writeFileSync, chownSync, chmodSync, renameSync, readFileSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ImapFlow } from "imapflow";
import { tempDir } from "./pano.ts";

export const DOVECOT_BIN = process.env.DOVECOT_BIN ?? "/usr/sbin/dovecot";
// Mail processes may not run as root; nobody owns the maildir.
const MAIL_UID = 65534;
const MAIL_GID = 65534;

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  password: string;
  dir: string;
  /** IMAP config as a Pano email channel takes it. */
  imapConfig(mailbox?: string): { host: string; port: number; secure: boolean; starttls: "never"; user: string; password: string; mailbox: string };
  /** APPENDs messages through IMAP, like a mail client saving into the mailbox. */
  append(raws: (string | Uint8Array)[], mailbox?: string): Promise<void>;
  /**
   * Drops messages into the maildir as a delivery agent does; Dovecot assigns UIDs when it next
   * looks. Another mailbox than INBOX is a Maildir++ folder, created if missing.
   */
  deliver(raws: (string | Uint8Array)[], mailbox?: string): void;
  /** Empties the mailbox and makes Dovecot issue a new UIDVALIDITY, as after a server migration. */
  resetUidValidity(raws?: (string | Uint8Array)[]): Promise<void>;
  client(): ImapFlow;
  stop(): Promise<void>;
  /** Starts again on the same port after stop(), with the same mail. */
  restart(): Promise<void>;
  log(): string;
}

let seq = 0;

function config(dir: string, port: number, greeting: string): string {
  return `
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = pano-test-${port}
login_greeting = ${greeting}
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
mail_uid = ${MAIL_UID}
mail_gid = ${MAIL_GID}
first_valid_uid = ${MAIL_UID}
mail_max_userip_connections = 200
mailbox_idle_check_interval = 1 secs
shutdown_clients = yes
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${MAIL_UID} gid=${MAIL_GID} home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  inet_listener http {
    port = 0
  }
}
`;
}

// Dovecot cannot be told port 0 (0 turns a listener off), so the port is drawn here, below the
// kernel's ephemeral range (32768 and up) where port-0 binds and outgoing connections land; only
// another explicit choice (a parallel Dovecot) can collide, and then the start is retried.
const pickPort = () => 20_000 + Math.floor(Math.random() * 12_000);

/** The first line a server on `port` says, or null while nothing accepts there. */
async function greetingOn(port: number): Promise<string | null> {
  const { promise, resolve } = Promise.withResolvers<string | null>();
  let said = "";
  try {
    const s = await Bun.connect({
      hostname: "127.0.0.1", port,
      socket: {
        data(sock, chunk) {
          said += chunk.toString();
          if (said.includes("\n")) resolve(said), sock.end();
        },
        close: () => resolve(said || null),
        error: () => resolve(null),
      },
    });
    setTimeout(() => (resolve(said || null), s.end()), 2000);
  } catch {
    return null;
  }
  return promise;
}

/**
 * Waits for this Dovecot's own greeting on the port (a positive signal: another server there
 * says something else). "taken" when Dovecot gave up because the port was in use.
 */
async function waitForGreeting(proc: ReturnType<typeof Bun.spawn>, port: number, greeting: string, logFile: string): Promise<"listening" | "taken"> {
  const logBefore = existsSync(logFile) ? readFileSync(logFile, "utf8").length : 0;
  const log = () => (existsSync(logFile) ? readFileSync(logFile, "utf8").slice(logBefore) : "(no log)");
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) {
      if (/Address already in use/.test(log())) return "taken";
      throw new Error(`dovecot exited with ${proc.exitCode}:\n${log()}`);
    }
    if ((await greetingOn(port))?.includes(greeting)) return "listening";
    if (Date.now() > deadline) throw new Error(`dovecot did not greet on ${port}:\n${log()}`);
    await Bun.sleep(20); // polling interval while Dovecot starts
  }
}

export async function startDovecot(opts: { user?: string; password?: string } = {}): Promise<Dovecot> {
  if (!existsSync(DOVECOT_BIN)) throw new Error(`${DOVECOT_BIN} is missing: install dovecot-imapd`);
  const dir = tempDir(`pano-dovecot-${process.pid}-${seq++}-`);
  const user = opts.user ?? "shop@pano.test";
  const password = opts.password ?? "mat-khau-imap";
  // The auth process runs as the dovecot user and must reach the passwd file.
  chmodSync(dir, 0o755);
  for (const d of ["run", "state", "mail", "home"]) mkdirSync(join(dir, d), { recursive: true });
  chownSync(join(dir, "mail"), MAIL_UID, MAIL_GID);
  chownSync(join(dir, "home"), MAIL_UID, MAIL_GID);
  writeFileSync(join(dir, "passwd"), `${user}:{PLAIN}${password}::::::\n`);
  const conf = join(dir, "dovecot.conf");
  const logFile = join(dir, "dovecot.log");
  const maildir = join(dir, "mail", user);
  const greeting = `Pano test Dovecot ${dir.split("/").pop()}`;

  let proc: ReturnType<typeof Bun.spawn> | null = null;
  const launch = async (port: number) => {
    writeFileSync(conf, config(dir, port, greeting));
    const p = Bun.spawn([DOVECOT_BIN, "-F", "-c", conf], { stdout: "ignore", stderr: "pipe" });
    proc = p;
    // A test runner that dies must not leave Dovecot behind.
    process.once("exit", () => p.kill("SIGKILL"));
    const outcome = await waitForGreeting(p, port, greeting, logFile);
    if (outcome === "taken") proc = null;
    return outcome;
  };
  let port = pickPort();
  for (let attempt = 1; (await launch(port)) === "taken"; attempt++) {
    if (attempt === 5) throw new Error(`dovecot found ${attempt} ports in a row taken:\n${readFileSync(logFile, "utf8")}`);
    port = pickPort();
  }

  const client = () =>
    new ImapFlow({ host: "127.0.0.1", port, secure: false, doSTARTTLS: false, auth: { user, pass: password }, logger: false, emitLogs: false });

  const folderDir = (mailbox: string) => (mailbox === "INBOX" ? maildir : join(maildir, `.${mailbox}`));
  const ensureMaildir = (mailbox: string) => {
    const root = folderDir(mailbox);
    for (const sub of ["new", "cur", "tmp"]) {
      mkdirSync(join(root, sub), { recursive: true });
      chownSync(join(root, sub), MAIL_UID, MAIL_GID);
    }
    chownSync(maildir, MAIL_UID, MAIL_GID);
    chownSync(root, MAIL_UID, MAIL_GID);
  };

  const self: Dovecot = {
    host: "127.0.0.1", port, user, password, dir,
    imapConfig: (mailbox = "INBOX") => ({ host: "127.0.0.1", port, secure: false, starttls: "never", user, password, mailbox }),
    async append(raws, mailbox = "INBOX") {
      const c = client();
      await c.connect();
      try {
        for (const raw of raws) await c.append(mailbox, typeof raw === "string" ? Buffer.from(raw) : Buffer.from(raw));
      } finally {
        await c.logout().catch(() => {});
      }
    },
    deliver(raws, mailbox = "INBOX") {
      ensureMaildir(mailbox);
      const root = folderDir(mailbox);
      for (const raw of raws) {
        const name = `${Date.now()}.P${process.pid}Q${seq++}.pano-test`;
        const tmp = join(root, "tmp", name);
        writeFileSync(tmp, raw);
        chownSync(tmp, MAIL_UID, MAIL_GID);
        renameSync(tmp, join(root, "new", name));
      }
    },
    async resetUidValidity(raws = []) {
      await self.stop();
      rmSync(maildir, { recursive: true, force: true });
      // UIDVALIDITY is a timestamp; make sure the new one differs from the old.
      await Bun.sleep(1100);
      await self.restart();
      if (raws.length) await self.append(raws);
    },
    client,
    async stop() {
      if (!proc) return;
      const p = proc;
      proc = null;
      p.kill("SIGTERM");
      const timer = setTimeout(() => p.kill("SIGKILL"), 3000);
      await p.exited;
      clearTimeout(timer);
    },
    async restart() {
      // Same port: Pano's channel config points there. Only a parallel Dovecot drawing this very
      // port while it was free can take it; that is reported, not hidden.
      if ((await launch(port)) === "taken") throw new Error(`dovecot cannot restart: port ${port} was taken while it was stopped`);
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : ""),
  };
  return self;
}
