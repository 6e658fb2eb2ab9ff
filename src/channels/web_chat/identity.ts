// A shop that knows its logged-in customer vouches for them with hash = hex HMAC-SHA256(id,
// identity_secret). Only a valid hash lets the page's id, email and phone join an existing profile;
// anything else stays an anonymous visitor whose claims are kept as notes, never as keys.
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export const claimedUserSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1).max(200)),
  name: z.string().trim().max(200).optional(),
  email: z.string().trim().email().max(254).optional(),
  phone: z.string().trim().max(40).optional(),
  hash: z.string().max(128).optional(),
});
export type ClaimedUser = z.infer<typeof claimedUserSchema>;

export function identityHash(id: string, secret: string): string {
  return createHmac("sha256", secret).update(id).digest("hex");
}

export function hashIsValid(user: ClaimedUser, secret: string | null | undefined): boolean {
  if (!secret || !user.hash) return false;
  const want = Buffer.from(identityHash(user.id, secret), "hex");
  const given = /^[0-9a-fA-F]{64}$/.test(user.hash) ? Buffer.from(user.hash, "hex") : Buffer.alloc(0);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** The identity's external id for a verified customer: stable across devices and sessions. */
export const customerSubject = (id: string) => "u_" + id;
