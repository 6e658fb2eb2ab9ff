// Users, API tokens and login sessions. Secrets are stored only as hashes.
import type { Database } from "bun:sqlite";
import { createHash, randomBytes } from "node:crypto";
import type { Tx, Writer } from "./writer.ts";
import type { Role, Viewer } from "../domain/conversation.ts";
import { FULL_GRANT, TOKEN_SCOPES, type TokenGrant, type TokenScope } from "../domain/token-scope.ts";

export interface UserRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  language: string;
  timezone: string;
  availability: string;
  capacity: number;
  last_seen_at: number | null;
  created_at: number;
}

/** Who an API token speaks for, and what it may do for them. */
export interface TokenAuth {
  tokenId: number;
  user: UserRow;
  grant: TokenGrant;
}

function grantOf(row: { scopes: string; channel_ids: string | null }): TokenGrant {
  const words = row.scopes.split(",");
  return { scopes: TOKEN_SCOPES.filter((s) => words.includes(s)) as TokenScope[], channelIds: row.channel_ids ? (JSON.parse(row.channel_ids) as number[]) : null };
}

export const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const TOKEN_CACHE_MS = 5000;
const USER_COLS = "id, email, name, role, language, timezone, availability, capacity, last_seen_at, created_at";

export class Users {
  constructor(private db: Database, private writer: Writer) {}

  count(): number {
    return this.db.query<{ n: number }, []>("SELECT count(*) AS n FROM users").get()!.n;
  }
  byId(id: number): UserRow | null {
    return this.db.query<UserRow, [number]>(`SELECT ${USER_COLS} FROM users WHERE id = ? AND disabled_at IS NULL`).get(id);
  }
  byEmail(email: string): UserRow | null {
    return this.db.query<UserRow, [string]>(`SELECT ${USER_COLS} FROM users WHERE email = ? AND disabled_at IS NULL`).get(email.trim().toLowerCase());
  }
  list(): UserRow[] {
    return this.db.query<UserRow, []>(`SELECT ${USER_COLS} FROM users WHERE disabled_at IS NULL ORDER BY id`).all();
  }
  teamIds(userId: number): number[] {
    return this.db.query<{ team_id: number }, [number]>("SELECT team_id FROM team_members WHERE user_id = ?").all(userId).map((r) => r.team_id);
  }
  viewer(u: UserRow): Viewer {
    return { userId: u.id, role: u.role, teamIds: this.teamIds(u.id) };
  }

  async create(input: { email: string; password: string; name?: string; role?: Role; teamIds?: number[] }): Promise<UserRow> {
    const email = input.email.trim().toLowerCase();
    const hash = await Bun.password.hash(input.password, { algorithm: "argon2id" });
    const id = await this.writer.submit((tx) => {
      const id = Number(
        tx.db.query("INSERT INTO users (email, name, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)")
          .run(email, input.name ?? email.split("@")[0], hash, input.role ?? "agent", tx.now).lastInsertRowid,
      );
      for (const t of input.teamIds ?? []) tx.db.query("INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?, ?)").run(t, id);
      tx.db.query("INSERT INTO audit_log (actor_type, action, subject_type, subject_id, created_at) VALUES ('system', 'user.created', 'user', ?, ?)").run(id, tx.now);
      return id;
    });
    return this.byId(id)!;
  }

  async verifyPassword(email: string, password: string): Promise<UserRow | null> {
    const row = this.db.query<{ id: number; password_hash: string }, [string]>("SELECT id, password_hash FROM users WHERE email = ? AND disabled_at IS NULL").get(email.trim().toLowerCase());
    if (!row) {
      // Same work either way, so response time does not reveal which emails exist.
      await Bun.password.verify(password, "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ").catch(() => false);
      return null;
    }
    return (await Bun.password.verify(password, row.password_hash)) ? this.byId(row.id) : null;
  }

  // Revocation: signing out, a new password, disabling a person and revoking a token all end here,
  // the one place the pages and the REST API go through. Each clears the token cache at once and
  // tells the listeners (live streams), which close if the credential that opened them is gone.
  private revocationListeners = new Set<(userId: number) => void>();

  /** Called after any of a user's sessions or tokens was revoked (already committed). */
  onRevoked(fn: (userId: number) => void): () => void {
    this.revocationListeners.add(fn);
    return () => this.revocationListeners.delete(fn);
  }

  private revoked(userId: number): void {
    this.tokenCache.clear();
    for (const fn of this.revocationListeners) fn(userId);
  }

  /** A new password signs the person out everywhere (a leaked session too). */
  async setPassword(userId: number, password: string): Promise<void> {
    const hash = await Bun.password.hash(password, { algorithm: "argon2id" });
    await this.writer.submit((tx) => {
      tx.db.query("UPDATE users SET password_hash = ? WHERE id = ?").run(hash, userId);
      tx.db.query("DELETE FROM sessions WHERE user_id = ?").run(userId);
    });
    this.revoked(userId);
  }

  /** Disabling ends every session and token of the person; `alsoInTx` writes the audit beside it. */
  async disable(userId: number, alsoInTx: (tx: Tx) => void = () => {}): Promise<void> {
    await this.writer.submit((tx) => {
      tx.db.query("UPDATE users SET disabled_at = ? WHERE id = ?").run(tx.now, userId);
      tx.db.query("DELETE FROM sessions WHERE user_id = ?").run(userId);
      tx.db.query("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL").run(tx.now, userId);
      alsoInTx(tx);
    });
    this.revoked(userId);
  }

  async createToken(userId: number, name: string, grant: TokenGrant = FULL_GRANT): Promise<string> {
    const token = "pano_" + randomBytes(32).toString("base64url");
    await this.writer.submit((tx) =>
      tx.db.query("INSERT INTO api_tokens (name, user_id, token_hash, prefix, scopes, channel_ids, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .run(name, userId, sha256(token), token.slice(0, 12), grant.scopes.join(","), grant.channelIds ? JSON.stringify(grant.channelIds) : null, tx.now),
    );
    return token;
  }

  // Integrations call the API thousands of times a second at peaks: a short-lived cache spares
  // two queries per call. Every revocation clears it, so it never outlives a revoked token or user.
  private tokenCache = new Map<string, { auth: TokenAuth | null; at: number }>();

  tokenAuth(token: string): TokenAuth | null {
    const hash = sha256(token);
    const hit = this.tokenCache.get(hash);
    const now = Date.now();
    if (hit && now - hit.at < TOKEN_CACHE_MS) return hit.auth;
    const row = this.db
      .query<{ id: number; user_id: number; scopes: string; channel_ids: string | null }, [string]>("SELECT id, user_id, scopes, channel_ids FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL")
      .get(hash);
    const user = row ? this.byId(row.user_id) : null;
    const auth = row && user ? { tokenId: row.id, user, grant: grantOf(row) } : null;
    if (this.tokenCache.size > 1000) this.tokenCache.clear();
    this.tokenCache.set(hash, { auth, at: now });
    return auth;
  }

  async revokeToken(id: number): Promise<void> {
    const owner = await this.writer.submit((tx) => {
      tx.db.query("UPDATE api_tokens SET revoked_at = ? WHERE id = ?").run(tx.now, id);
      return tx.db.query<{ user_id: number }, [number]>("SELECT user_id FROM api_tokens WHERE id = ?").get(id)?.user_id ?? null;
    });
    if (owner !== null) this.revoked(owner);
  }

  async createSession(userId: number, remember: boolean): Promise<{ id: string; csrf: string; maxAgeSec: number }> {
    const id = randomBytes(32).toString("base64url");
    const csrf = randomBytes(24).toString("base64url");
    const maxAgeSec = remember ? 30 * 86400 : 12 * 3600;
    await this.writer.submit((tx) => {
      tx.db.query("INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at, remember, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .run(sha256(id), userId, csrf, tx.now + maxAgeSec * 1000, remember ? 1 : 0, tx.now);
      tx.db.query("DELETE FROM sessions WHERE expires_at < ?").run(tx.now);
    });
    return { id, csrf, maxAgeSec };
  }

  session(id: string, now: number): { user: UserRow; csrf: string } | null {
    const s = this.db.query<{ user_id: number; csrf_token: string; expires_at: number }, [string]>("SELECT user_id, csrf_token, expires_at FROM sessions WHERE id_hash = ?").get(sha256(id));
    if (!s || s.expires_at < now) return null;
    const user = this.byId(s.user_id);
    return user ? { user, csrf: s.csrf_token } : null;
  }

  async endSession(id: string): Promise<void> {
    const owner = await this.writer.submit((tx) =>
      tx.db.query<{ user_id: number }, [string]>("DELETE FROM sessions WHERE id_hash = ? RETURNING user_id").get(sha256(id))?.user_id ?? null,
    );
    if (owner !== null) this.revoked(owner);
  }
}
