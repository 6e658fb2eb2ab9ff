// What an admin enters to connect one Facebook Page. Secrets stay sealed at rest (secretFields).
import { z } from "zod";

export const facebookConfigSchema = z
  .object({
    page_id: z.string().trim().regex(/^\d{1,30}$/, "must be the numeric Page id"),
    page_access_token: z.string().min(10),
    app_secret: z.string().min(8),
    verify_token: z.string().min(8),
    /** Graph API version; empty means Pano's configured default (PANO_FACEBOOK_GRAPH_VERSION). */
    graph_version: z.string().regex(/^v\d+\.\d+$/, "must look like v25.0").optional().nullable(),
    /** HUMAN_AGENT tag (replies up to 7 days) needs Meta's approval of the app: off until the admin says so. */
    allow_human_agent_tag: z.boolean().default(false),
  })
  .strict();

export type FacebookConfig = z.infer<typeof facebookConfigSchema>;

export const FACEBOOK_SECRET_FIELDS = ["page_access_token", "app_secret", "verify_token"] as const;

/** Messenger refuses text over 2,000 characters (error 100), so longer replies go out in parts. */
export const TEXT_LIMIT = 2000;
