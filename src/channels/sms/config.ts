// What an admin sets for an SMS channel (channels.md, sms). Two providers: an Android phone running
// SMS Gateway for Android (two-way), or eSMS.vn brandname (outbound only). webhook_token is made by
// Pano when the channel is created: it names the channel in the addresses the provider calls back.
import { z } from "zod";
import { randomBytes } from "node:crypto";

const secret = (max: number) => z.string().min(1).max(max).optional().nullable();

export const smsConfigSchema = z
  .object({
    provider: z.enum(["android_gateway", "esms"]),
    /** The gateway's API: http://<phone>:8080 (local server) or https://api.sms-gate.app/3rdparty/v1 (cloud). */
    base_url: z.string().trim().url().max(500).refine((u) => /^https?:\/\//i.test(u), "must be an http(s) address").optional().nullable(),
    username: z.string().trim().min(1).max(200).optional().nullable(),
    password: secret(500),
    /** Settings › Webhooks › Signing Key in the app: signs every webhook it sends. */
    signing_key: secret(500),
    api_key: secret(200),
    secret_key: secret(200),
    brandname: z.string().trim().min(1).max(50).optional().nullable(),
    /** eSMS SmsType: 2 is customer care (chăm sóc khách hàng), the one a brandname replies with. */
    sms_type: z.enum(["2"]).default("2"),
    webhook_token: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/).default(() => randomBytes(18).toString("base64url")),
  })
  .strict()
  .superRefine((c, ctx) => {
    const need = (field: keyof typeof c, message: string) => {
      if (!c[field]) ctx.addIssue({ code: "custom", path: [field], message });
    };
    if (c.provider === "android_gateway") {
      need("base_url", "the gateway's address is needed");
      need("username", "the gateway's username is needed");
      need("password", "the gateway's password is needed");
      need("signing_key", "the gateway's webhook signing key is needed");
    } else {
      need("api_key", "eSMS needs its ApiKey");
      need("secret_key", "eSMS needs its SecretKey");
      need("brandname", "eSMS sends under a registered brandname");
    }
  });
export type SmsConfig = z.infer<typeof smsConfigSchema>;

/** Where the provider calls back for this channel (gateway webhooks, eSMS delivery reports). */
export const smsEventsUrl = (publicUrl: string, token: string) => `${publicUrl.replace(/\/$/, "")}/webhooks/sms/${token}/events`;
