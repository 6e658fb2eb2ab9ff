// Opening the two connections an email channel uses, from its config: the IMAP client (imapflow)
// and the SMTP transport (nodemailer). TLS modes: `secure` is TLS from the first byte;
// otherwise `starttls` says whether to upgrade when offered, insist, or stay plain.
import { ImapFlow } from "imapflow";
import nodemailer, { type Transporter } from "nodemailer";
import type { EmailConfig } from "./config.ts";

export function imapClient(cfg: EmailConfig, opts: { idle: boolean }): ImapFlow {
  const i = cfg.imap;
  return new ImapFlow({
    host: i.host,
    port: i.port,
    secure: i.secure,
    doSTARTTLS: i.secure ? undefined : i.starttls === "never" ? false : i.starttls === "require" ? true : undefined,
    auth: { user: i.user, pass: i.password },
    tls: { rejectUnauthorized: !i.allow_invalid_cert },
    logger: false,
    emitLogs: false,
    // New mail should reach agents within a second or two, so IDLE starts soon after each sync.
    disableAutoIdle: !opts.idle,
    autoIdleDelay: 500,
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    socketTimeout: 5 * 60_000,
  } as ConstructorParameters<typeof ImapFlow>[0]);
}

export function smtpTransport(cfg: EmailConfig): Transporter {
  const s = cfg.smtp;
  return nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    requireTLS: !s.secure && s.starttls === "require",
    ignoreTLS: !s.secure && s.starttls === "never",
    auth: { user: s.user, pass: s.password },
    tls: { rejectUnauthorized: !s.allow_invalid_cert },
    pool: true,
    maxConnections: 3,
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
  });
}

/** imapflow's failures as a sentence an admin can act on; `auth` when the login itself was refused. */
export function imapProblem(err: unknown): { auth: boolean; detail: string } {
  const e = err as { authenticationFailed?: boolean; responseText?: string; code?: string; message?: string };
  const said = (e?.responseText ?? e?.message ?? String(err)).replace(/\s+/g, " ").slice(0, 300);
  if (e?.authenticationFailed) return { auth: true, detail: `IMAP login refused (check user and app password): ${said}` };
  return { auth: false, detail: `IMAP ${e?.code ?? "error"}: ${said}` };
}
