// An email channel's settings: one mailbox read over IMAP, replies sent over SMTP.
// `secure: true` is TLS from the first byte (993/465); otherwise STARTTLS as `starttls` says
// ("auto" upgrades when offered, "require" refuses a server without it, "never" stays plain,
// which only makes sense on a trusted local network).
import { z } from "zod";

const server = {
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65535),
  secure: z.boolean(),
  starttls: z.enum(["auto", "require", "never"]).default("auto"),
  user: z.string().min(1).max(320),
  password: z.string().min(1).max(1000),
  /** For a self-hosted server with a self-signed certificate. */
  allow_invalid_cert: z.boolean().default(false),
};

export const emailConfigSchema = z
  .object({
    imap: z.object({ ...server, mailbox: z.string().min(1).max(200).default("INBOX") }).strict(),
    smtp: z.object(server).strict(),
    from_address: z.string().trim().email().max(320),
    from_name: z.string().trim().max(200).optional(),
    /** Seconds between checks when the server has no IDLE (or `idle` is off). */
    poll_seconds: z.number().int().min(1).max(3600).default(60),
    idle: z.boolean().default(true),
    /** On first connection (and after a UIDVALIDITY change), mail received this many days back is imported. */
    import_days: z.number().int().min(0).max(3650).default(7),
    /** Larger messages are stored as far as their first part goes, with a note. */
    max_message_bytes: z.number().int().min(10_000).max(200_000_000).default(25_000_000),
    /** Reply-To carries the conversation (user+c12.x@domain) where the mail server supports plus addressing. */
    plus_reply_to: z.boolean().default(false),
  })
  .strict();

export type EmailConfig = z.infer<typeof emailConfigSchema>;
export type ServerConfig = EmailConfig["smtp"];

/** Configs stored before a default was added still read with it. */
export function withDefaults(config: unknown): EmailConfig {
  return emailConfigSchema.parse(config);
}
