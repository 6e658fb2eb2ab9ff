// What an admin sets for a website chat (channels.md, web_chat). Two values Pano makes itself when
// the channel is created: the public widget_token the snippet carries, and session_key, which signs
// visitors' session tokens so that a session costs no row until its first message.
import { z } from "zod";
import { randomBytes } from "node:crypto";

const token = (bytes: number) => randomBytes(bytes).toString("base64url");

/** "https://shop.vn" exactly as a browser sends it in Origin: scheme, host, port; no path. */
const origin = z
  .string()
  .trim()
  .transform((s, ctx) => {
    try {
      const u = new URL(s);
      if ((u.protocol === "http:" || u.protocol === "https:") && (u.pathname === "/" || u.pathname === "") && !u.search && !u.hash && !u.username) return u.origin;
    } catch {
      // reported below
    }
    ctx.addIssue({ code: "custom", message: "must be an origin like https://shop.vn (scheme and host, no path)" });
    return z.NEVER;
  });

const need = z.enum(["required", "optional"]).optional();

export const webChatConfigSchema = z
  .object({
    allowed_origins: z.array(origin).min(1).max(20),
    identity_secret: z.string().min(16).max(200).optional().nullable(),
    welcome_text: z.string().trim().max(500).optional().nullable(),
    color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #0a7cff").optional().nullable(),
    pre_chat: z.object({ name: need, email: need, phone: need }).strict().optional().nullable(),
    offline_email_channel_id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]).optional().nullable(),
    // The team whose business hours (Settings > Teams) the widget follows: outside them it says when
    // the shop answers and asks for an email or phone. None: always open, as before.
    hours_team_id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]).optional().nullable(),
    widget_token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/).default(() => token(18)),
    session_key: z.string().min(32).default(() => token(32)),
  })
  .strict();
export type WebChatConfig = z.infer<typeof webChatConfigSchema>;

/** The admin's text field (one origin per line or comma-separated) or the API's array. */
export function originList(input: unknown): unknown {
  return typeof input === "string" ? input.split(/[\s,]+/).filter(Boolean) : input;
}
