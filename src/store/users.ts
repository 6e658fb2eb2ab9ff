// Users, API tokens and login sessions. Secrets are stored only as hashes.
import type { Database } from "bun:sqlite";
import { createHash, randomBytes } from "node:crypto";
import type { Tx, Writer } from "./writer.ts";
import type { Role, Viewer } from "../domain/conversation.ts";
import { FULL_GRANT, TOKEN_SCOPES, type TokenGrant, type TokenScope } from "../domain/token-scope.ts";
import { PanoError } from "../domain/errors.ts";
import { cleanName } from "../domain/text.ts";
import { teamExists } from "./teams.ts";
import { guestConversations } from "./mentions.ts";

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
  /** Their switchboard user or extension (phone channel); null: their email stands in. */
  phone_user_id: string | null;
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
const VIEWER_CACHE_MS = 5000;
const USER_COLS = "id, email, name, role, language, timezone, availability, capacity, last_seen_at, phone_user_id, created_at";

/** An active (not disabled) person: one a rule or a team may name. */
export function isActiveUser(db: Database, id: number): boolean {
  return !!db.query("SELECT 1 FROM users WHERE id = ? AND disabled_at IS NULL").get(id);
}

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
    return { userId: u.id, role: u.role, teamIds: this.teamIds(u.id), guestOf: guestConversations(this.db, u.id) };
  }

  /** Is anyone able to administer Pano? (First run asks for an admin while no one is.) */
  hasActiveAdmin(): boolean {
    return !!this.db.query("SELECT 1 FROM users WHERE role = 'admin' AND disabled_at IS NULL LIMIT 1").get();
  }

  // Creating and changing people: the REST API, the settings pages, first run and the CLI all
  // come here, so the rules hold on every path (a cleaned name, an email used once, real teams).

  /** A new person; `alsoInTx` writes the caller's audit beside the row. Their email must be new (disabled people keep theirs). */
  async create(
    input: { email: string; password: string; name?: string; role?: Role; teamIds?: number[]; capacity?: number; phoneUserId?: string | null },
    alsoInTx: (tx: Tx, userId: number) => void = () => {},
  ): Promise<UserRow> {
    const email = input.email.trim().toLowerCase();
    if (this.db.query("SELECT 1 FROM users WHERE email = ?").get(email)) throw new PanoError("conflict", "A user with this email already exists", "email");
    this.checkTeams(input.teamIds ?? []);
    if (input.phoneUserId) this.checkPhoneUserId(0, input.phoneUserId);
    const name = cleanName(input.name) ?? email.split("@")[0];
    const hash = await Bun.password.hash(input.password, { algorithm: "argon2id" });
    const id = await this.writer.submit((tx) => {
      const id = Number(
        tx.db.query("INSERT INTO users (email, name, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)")
          .run(email, name, hash, input.role ?? "agent", tx.now).lastInsertRowid,
      );
      if (input.capacity !== undefined) tx.db.query("UPDATE users SET capacity = ? WHERE id = ?").run(input.capacity, id);
      if (input.phoneUserId) tx.db.query("UPDATE users SET phone_user_id = ? WHERE id = ?").run(input.phoneUserId, id);
      for (const t of input.teamIds ?? []) tx.db.query("INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?, ?)").run(t, id);
      tx.db.query("INSERT INTO audit_log (actor_type, action, subject_type, subject_id, created_at) VALUES ('system', 'user.created', 'user', ?, ?)").run(id, tx.now);
      alsoInTx(tx, id);
      return id;
    });
    return this.byId(id)!;
  }

  /**
   * Name, role, capacity and teams of a person, changed by `actorId` (an admin cannot take away
   * their own admin role). Rights cached for API calls are dropped at once, so a demoted user's
   * token does not keep the old role for a moment.
   */
  async update(userId: number, change: { name?: string; role?: Role; capacity?: number; teamIds?: number[]; phoneUserId?: string | null }, actorId: number | null, alsoInTx: (tx: Tx) => void = () => {}): Promise<void> {
    const name = change.name === undefined ? undefined : cleanName(change.name);
    if (name === null) throw new PanoError("validation_failed", "name: must not be empty", "name");
    if (actorId === userId && change.role !== undefined && change.role !== "admin") throw new PanoError("forbidden", "role: you cannot take away your own admin role", "role");
    if (change.teamIds) this.checkTeams(change.teamIds);
    if (change.phoneUserId) this.checkPhoneUserId(userId, change.phoneUserId);
    await this.writer.submit((tx) => {
      tx.db.query("UPDATE users SET name = coalesce(?, name), role = coalesce(?, role), capacity = coalesce(?, capacity) WHERE id = ?").run(name ?? null, change.role ?? null, change.capacity ?? null, userId);
      if (change.phoneUserId !== undefined) tx.db.query("UPDATE users SET phone_user_id = ? WHERE id = ?").run(change.phoneUserId, userId);
      if (change.teamIds) {
        tx.db.query("DELETE FROM team_members WHERE user_id = ?").run(userId);
        for (const t of change.teamIds) tx.db.query("INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?, ?)").run(t, userId);
      }
      alsoInTx(tx);
    });
    this.forgetCachedRights();
  }

  /** The signed-in person's language and time zone. */
  async setPreferences(userId: number, prefs: { language?: string; timezone?: string }): Promise<void> {
    await this.writer.submit((tx) =>
      tx.db.query("UPDATE users SET language = coalesce(?, language), timezone = coalesce(?, timezone) WHERE id = ?").run(prefs.language ?? null, prefs.timezone ?? null, userId),
    );
  }

  /** The person's own switchboard id (their account page); null clears it. */
  async setPhoneUserId(userId: number, phoneUserId: string | null): Promise<void> {
    if (phoneUserId) this.checkPhoneUserId(userId, phoneUserId);
    await this.writer.submit((tx) => tx.db.query("UPDATE users SET phone_user_id = ? WHERE id = ?").run(phoneUserId, userId));
  }

  /** One switchboard user rings one agent: two people on the same id would make calls ambiguous. */
  private checkPhoneUserId(userId: number, phoneUserId: string): void {
    if (this.db.query("SELECT 1 FROM users WHERE phone_user_id = ? AND id != ? AND disabled_at IS NULL").get(phoneUserId, userId)) {
      throw new PanoError("conflict", "phone_user_id: another person already has this switchboard user", "phone_user_id");
    }
  }

  private checkTeams(teamIds: number[]): void {
    for (const t of teamIds) if (!teamExists(this.db, t)) throw new PanoError("validation_failed", `team_ids: no team ${t}`, "team_ids");
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
    this.forgetCachedRights();
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

  /** A new token, returned this once (only its hash is kept); `alsoInTx` gets its id for the audit. */
  async createToken(userId: number, name: string, grant: TokenGrant = FULL_GRANT, alsoInTx: (tx: Tx, tokenId: number) => void = () => {}): Promise<string> {
    const token = "pano_" + randomBytes(32).toString("base64url");
    await this.writer.submit((tx) => {
      const id = tx.db.query("INSERT INTO api_tokens (name, user_id, token_hash, prefix, scopes, channel_ids, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .run(name, userId, sha256(token), token.slice(0, 12), grant.scopes.join(","), grant.channelIds ? JSON.stringify(grant.channelIds) : null, tx.now).lastInsertRowid;
      alsoInTx(tx, Number(id));
    });
    return token;
  }

  // Integrations call the API thousands of times a second at peaks: a short-lived cache spares
  // two queries per call. Every revocation clears it, so it never outlives a revoked token or user.
  private tokenCache = new Map<string, { auth: TokenAuth | null; at: number }>();
  // The same for a token user's role and teams (what they may see), cached per person.
  private viewerCache = new Map<number, { viewer: Viewer; at: number }>();

  /** Drops every cached token and right: after a revocation, a role or a team membership change. */
  private forgetCachedRights(): void {
    this.tokenCache.clear();
    this.viewerCache.clear();
  }

  /** Called after a team's members changed (store/teams.ts saveTeam). */
  membershipChanged(): void {
    this.forgetCachedRights();
  }

  /** `viewer(u)` for API calls, cached like tokens and cleared by the same changes. */
  cachedViewer(u: UserRow): Viewer {
    const hit = this.viewerCache.get(u.id);
    const now = Date.now();
    if (hit && now - hit.at < VIEWER_CACHE_MS && hit.viewer.role === u.role) return hit.viewer;
    const viewer = this.viewer(u);
    if (this.viewerCache.size > 1000) this.viewerCache.clear();
    this.viewerCache.set(u.id, { viewer, at: now });
    return viewer;
  }

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

  async revokeToken(id: number, alsoInTx: (tx: Tx) => void = () => {}): Promise<void> {
    const owner = await this.writer.submit((tx) => {
      tx.db.query("UPDATE api_tokens SET revoked_at = ? WHERE id = ?").run(tx.now, id);
      alsoInTx(tx);
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
