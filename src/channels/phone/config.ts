// What an admin sets for a switchboard (channels.md, phone). webhook_token is made by Pano when the
// channel is created and forms the secret webhook URLs pasted into the switchboard's console.
import { z } from "zod";
import { randomBytes } from "node:crypto";

/** E.164 without "+": what Stringee sends in from/to ("842873000000"). */
const number = z.string().trim().transform((s) => s.replace(/[\s.+-]/g, "")).pipe(z.string().regex(/^\d{6,15}$/, "must be a number like 842873000000"));

export const phoneConfigSchema = z
  .object({
    provider: z.enum(["stringee", "generic"]),
    numbers: z.array(number).min(1).max(50),
    api_key_sid: z.string().trim().min(1).max(200).optional().nullable(),
    api_key_secret: z.string().min(1).max(500).optional().nullable(),
    signing_secret: z.string().min(16).max(500).optional().nullable(),
    /** Where a call goes when no agent of the customer's conversation is online: a number or a switchboard user. */
    fallback_number: number.optional().nullable(),
    fallback_user: z.string().trim().min(1).max(100).optional().nullable(),
    webhook_token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/).default(() => randomBytes(18).toString("base64url")),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.provider === "stringee" && (!c.api_key_sid || !c.api_key_secret)) ctx.addIssue({ code: "custom", path: ["api_key_secret"], message: "Stringee needs api_key_sid and api_key_secret" });
    if (c.provider === "generic" && !c.signing_secret) ctx.addIssue({ code: "custom", path: ["signing_secret"], message: "a generic switchboard needs a signing_secret (16 characters or more)" });
  });
export type PhoneConfig = z.infer<typeof phoneConfigSchema>;

/** The shop's own number in the form config keeps. */
export const shopNumber = (s: string) => s.replace(/[\s.+-]/g, "");
