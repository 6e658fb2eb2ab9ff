// The email channel: one mailbox read over IMAP (imapflow, IDLE or polling) and answered over
// SMTP (nodemailer), with threading by headers and Pano's own tokens, and a loop guard for
// mail no person wrote.
import type { ChannelKind, Channel, ChannelRuntime } from "../channel.ts";
import type { InboundEvent } from "../../domain/message.ts";
import { emailConfigSchema, withDefaults, type EmailConfig } from "./config.ts";
import { smtpVerdict } from "./errors.ts";
import { emailTexts } from "./texts.ts";
import { emailOutreach } from "./outreach.ts";

export const EMAIL_SECRET_FIELDS = ["imap.password", "smtp.password", "password"] as const;

// imapflow, mailparser, nodemailer and sanitize-html are ~45 MB of memory once loaded: they come
// in with the first email channel that starts, sends or is tested, not with every Pano that starts.
const connect = () => import("./connect.ts");
const sending = () => import("./send.ts");

async function testImap(cfg: EmailConfig): Promise<{ ok: boolean; detail: string }> {
  const { imapClient, imapProblem } = await connect();
  const c = imapClient(cfg, { idle: false });
  c.on("error", () => {});
  try {
    await c.connect();
    const box = await c.mailboxOpen(cfg.imap.mailbox, { readOnly: true });
    const idle = c.capabilities.has("IDLE");
    return { ok: true, detail: `IMAP ok: ${cfg.imap.mailbox} has ${box.exists} messages${idle ? ", IDLE supported" : `, no IDLE: checked every ${cfg.poll_seconds} s`}` };
  } catch (err) {
    return { ok: false, detail: imapProblem(err).detail };
  } finally {
    await c.logout().catch(() => c.close());
  }
}

async function testSmtp(channelId: number, cfg: EmailConfig): Promise<{ ok: boolean; detail: string }> {
  try {
    await (await sending()).transportFor(channelId, cfg).verify();
    return { ok: true, detail: `SMTP ok: ${cfg.smtp.host}:${cfg.smtp.port}` };
  } catch (err) {
    return { ok: false, detail: `SMTP: ${smtpVerdict(err).reason}` };
  }
}

export const emailChannel: ChannelKind<EmailConfig> = {
  type: "email",
  texts: emailTexts,
  icon: `<symbol id="email" viewBox="0 0 24 24"><rect x="2" y="5" width="20" height="14" rx="2"/><path d="M2 7l10 6 10-6"/></symbol>`,
  configSchema: emailConfigSchema,
  secretFields: EMAIL_SECRET_FIELDS,
  secretDestinations: {
    "imap.password": ["imap.host", "imap.port", "imap.user"],
    "smtp.password": ["smtp.host", "smtp.port", "smtp.user"],
  },
  // Several channels may read the same address (different folders); nothing routes by it.
  externalKey: () => null,
  // Mail arrives through the poller, which parses bytes itself; there is no webhook payload.
  parse: (): InboundEvent[] => [],
  send: async (msg, channel, rt) => (await sending()).sendEmail(msg, channel, rt),
  sendSurvey: async (msg, channel, rt) => (await import("./survey.ts")).sendEmailSurvey(msg, channel, rt),
  outreach: emailOutreach,

  start(channel: Channel<EmailConfig>, rt: ChannelRuntime) {
    const stop = import("./poller.ts").then(({ startPoller }) => startPoller(channel, rt));
    return async () => {
      await (await stop)();
      (await sending()).closeTransport(channel.id);
    };
  },

  composer: () => ({ canSend: true }),

  async testConnection(channel) {
    const cfg = withDefaults(channel.config);
    const [imap, smtp] = await Promise.all([testImap(cfg), testSmtp(-channel.id - 1, cfg)]);
    (await sending()).closeTransport(-channel.id - 1);
    return { ok: imap.ok && smtp.ok, detail: `${imap.detail}; ${smtp.detail}` };
  },
};
