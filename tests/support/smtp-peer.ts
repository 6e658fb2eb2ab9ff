// A real SMTP receiver (smtp-server from npm) that records every message it accepts, parsed,
// and can refuse on demand with a temporary (4xx) or permanent (5xx) reply, or drop the connection.
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface SmtpPeer {
  host: string;
  port: number;
  received: ReceivedMail[];
  /** Every AUTH attempt, accepted or not: which credentials reached this server. */
  logins: { user: string; password: string }[];
  /** SMTP config as a Pano email channel takes it. */
  smtpConfig(): { host: string; port: number; secure: boolean; starttls: "never"; user: string; password: string };
  /** The next `times` messages are answered with this code and text after DATA. */
  refuse(code: number, text: string, times?: number): void;
  stop(): Promise<void>;
}

export async function startSmtpPeer(opts: { user?: string; password?: string } = {}): Promise<SmtpPeer> {
  const user = opts.user ?? "shop@pano.test";
  const password = opts.password ?? "mat-khau-smtp";
  const received: ReceivedMail[] = [];
  const logins: { user: string; password: string }[] = [];
  let refusal: { code: number; text: string; times: number } | null = null;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS"],
    authOptional: false,
    logger: false,
    onAuth(auth, _session, cb) {
      logins.push({ user: auth.username ?? "", password: auth.password ?? "" });
      if (auth.username === user && auth.password === password) return cb(null, { user });
      cb(Object.assign(new Error("5.7.8 Authentication credentials invalid"), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        if (refusal && refusal.times > 0) {
          refusal.times--;
          const { code, text } = refusal;
          return cb(Object.assign(new Error(text), { responseCode: code }));
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          parsed: await simpleParser(raw),
        });
        cb();
      });
    },
  });
  // Port 0: the OS picks a free one as it binds, so nothing can take it in between.
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as { port: number };
  server.on("error", () => {});
  return {
    host: "127.0.0.1", port, received, logins,
    smtpConfig: () => ({ host: "127.0.0.1", port, secure: false, starttls: "never", user, password }),
    refuse(code, text, times = 1) {
      refusal = { code, text, times };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
