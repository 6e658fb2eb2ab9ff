// Zalo's OAuth v4 token rules: an access token lives about 25 hours (expires_in "90000"), a
// refresh token about 3 months and only once: spending it again answers -14014, and the pair it
// produced stays valid. Authorisation codes are single use and bound to the PKCE challenge.
import { createHash, randomBytes } from "node:crypto";

export interface TokenAnswer {
  access_token?: string;
  refresh_token?: string;
  expires_in?: string;
  error?: number;
  error_name?: string;
  error_reason?: string;
  error_description?: string;
}

const REFRESH_LIFE_MS = 90 * 24 * 3600_000;

const fail = (error: number, name: string, description: string): TokenAnswer => ({ error, error_name: name, error_reason: name, error_description: description });

export class ZaloTokens {
  private access = new Map<string, number>();
  private refresh = new Map<string, { expiresAt: number; spentAt: number | null }>();
  private codes = new Map<string, { challenge: string | null; redirect: string; used: boolean; expiresAt: number }>();
  /** Refresh tokens presented at the token endpoint, in order (a reuse shows up twice). */
  readonly refreshLog: { token: string; ok: boolean; at: number }[] = [];
  accessLifeSeconds = 90_000;
  /** Delay before a refresh answers: widens the window where two refreshes could overlap. */
  refreshDelayMs = 0;
  /** When set, every refresh answers this error (a revoked app, a dead token). */
  refreshRefusal: number | null = null;

  constructor(readonly appId: string, readonly appSecret: string) {}

  /** A fresh pair, as after connecting the OA; `expiresInMs` may be short or already past. */
  issue(expiresInMs = this.accessLifeSeconds * 1000): { access_token: string; refresh_token: string; expires_at: number } {
    const access = `sim-at-${randomBytes(24).toString("base64url")}`;
    const refresh = `sim-rt-${randomBytes(24).toString("base64url")}`;
    const expiresAt = Date.now() + expiresInMs;
    this.access.set(access, expiresAt);
    this.refresh.set(refresh, { expiresAt: Date.now() + REFRESH_LIFE_MS, spentAt: null });
    return { access_token: access, refresh_token: refresh, expires_at: expiresAt };
  }

  /** 0 when the token may call the API; else Zalo's error code (-216: invalid or expired). */
  check(token: string): number {
    const exp = this.access.get(token);
    return exp !== undefined && exp > Date.now() ? 0 : -216;
  }

  /** Revokes one access token early (Zalo does this when the OA admin removes the app). */
  revoke(token: string): void {
    this.access.delete(token);
  }

  /** Expires every access token now: the next API call answers -216. */
  expireAll(): void {
    for (const k of this.access.keys()) this.access.set(k, 0);
  }

  issueCode(challenge: string | null, redirect: string): string {
    const code = randomBytes(32).toString("base64url");
    this.codes.set(code, { challenge, redirect, used: false, expiresAt: Date.now() + 10 * 60_000 });
    return code;
  }

  /** POST /v4/oa/access_token: refresh_token and authorization_code grants. */
  async exchange(secretKey: string | null, form: URLSearchParams): Promise<TokenAnswer> {
    if (form.get("app_id") !== this.appId) return fail(-14001, "Invalid app_id", "app_id is missing or unknown");
    if (secretKey !== this.appSecret) return fail(-14002, "Invalid secret key", "the secret_key header does not match the app");
    const grant = form.get("grant_type");
    if (grant === "refresh_token") return this.spendRefresh(form.get("refresh_token") ?? "");
    if (grant === "authorization_code") return this.spendCode(form.get("code") ?? "", form.get("code_verifier"));
    return fail(-14003, "Invalid grant_type", "grant_type must be refresh_token or authorization_code");
  }

  private async spendRefresh(token: string): Promise<TokenAnswer> {
    const r = this.refresh.get(token);
    const usable = r && r.spentAt === null && r.expiresAt > Date.now() && this.refreshRefusal === null;
    this.refreshLog.push({ token, ok: !!usable, at: Date.now() });
    if (!usable) {
      if (this.refreshRefusal !== null) return fail(this.refreshRefusal, "Invalid refresh token.", "the refresh token was revoked");
      return fail(-14014, "Invalid refresh token.", r?.spentAt ? "the refresh token has already been used" : "the refresh token is invalid or expired");
    }
    r.spentAt = Date.now(); // spent the moment it is presented, even if the answer is lost
    if (this.refreshDelayMs) await Bun.sleep(this.refreshDelayMs); // the scenario: a slow token endpoint
    return this.answer();
  }

  private spendCode(code: string, verifier: string | null): TokenAnswer {
    const c = this.codes.get(code);
    if (!c || c.used || c.expiresAt < Date.now()) return fail(-14019, "Invalid authorization code", "the code is invalid, expired or already used");
    c.used = true;
    if (c.challenge && (!verifier || createHash("sha256").update(verifier).digest("base64url") !== c.challenge)) {
      return fail(-14024, "Invalid code verifier", "code_verifier does not match code_challenge");
    }
    return this.answer();
  }

  private answer(): TokenAnswer {
    const pair = this.issue();
    return { access_token: pair.access_token, refresh_token: pair.refresh_token, expires_in: String(this.accessLifeSeconds) };
  }

  /** Successful refreshes so far. */
  get refreshes(): number {
    return this.refreshLog.filter((r) => r.ok).length;
  }
}
