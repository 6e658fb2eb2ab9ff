// What one Zalo OA channel needs: ids and secrets from the Zalo developer app, and the OAuth v4
// token pair (pasted by hand or obtained through "Connect with Zalo").
import { z } from "zod";

const id = z.string().trim().regex(/^\d{1,30}$/, "must be the numeric id Zalo shows");

export const zaloConfigSchema = z
  .object({
    oa_id: id,
    app_id: id,
    /** The app's secret key: OAuth token calls only. */
    app_secret: z.string().min(1),
    /** "OA Secret Key" from the app's webhook page: webhook signatures only. */
    oa_secret_key: z.string().min(1),
    access_token: z.string().min(1).optional().nullable(),
    refresh_token: z.string().min(1).optional().nullable(),
    /** ISO time or epoch ms; unknown means "valid until Zalo says otherwise". */
    token_expires_at: z.union([z.string().min(1), z.number()]).optional().nullable(),
  })
  .strict();
export type ZaloConfig = z.infer<typeof zaloConfigSchema>;

export const ZALO_SECRET_FIELDS = ["app_secret", "oa_secret_key", "access_token", "refresh_token"] as const;

/** Epoch ms of the access token's expiry, or null when unknown. */
export function expiresAtMs(cfg: ZaloConfig): number | null {
  const v = cfg.token_expires_at;
  if (v === undefined || v === null || v === "") return null;
  const ms = typeof v === "number" ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(ms) ? ms : null;
}

/** Refresh this long before expiry, so no send races the deadline. */
export const REFRESH_MARGIN_MS = 10 * 60_000;
