// What an API token may do. A token carries scopes (read: GET, write: changes, admin: admin-only
// routes) and optionally a list of channels; it never does more than its user's role allows.
import type { Role } from "./conversation.ts";

export const TOKEN_SCOPES = ["read", "write", "admin"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export interface TokenGrant {
  scopes: TokenScope[];
  /** null: every channel; otherwise the token reaches only routes about these channels. */
  channelIds: number[] | null;
}

/** Tokens made without stating scopes (and every token made before scopes existed). */
export const FULL_GRANT: TokenGrant = { scopes: [...TOKEN_SCOPES], channelIds: null };

/** "read,write" -> scopes; the unknown words when there are any. Order and repeats do not matter. */
export function parseScopes(text: string): { scopes: TokenScope[] } | { unknown: string[] } {
  const words = text.split(",").map((w) => w.trim().toLowerCase()).filter(Boolean);
  const unknown = words.filter((w) => !(TOKEN_SCOPES as readonly string[]).includes(w));
  if (unknown.length) return { unknown };
  return { scopes: TOKEN_SCOPES.filter((s) => words.includes(s)) };
}

/** What one API request asks of the token: its method's scope, and what the route is about. */
export interface RequestNeed {
  scope: "read" | "write";
  /** An admin-only route (it also needs the admin role). */
  admin?: boolean;
  /** The channel the route is about (a channel, or a conversation on it); null when none. */
  channelId: number | null;
  /** Posting a customer's message into an api channel: an integration's right. */
  inbound?: boolean;
}

/** Why the token may not make this request, or null when it may. */
export function grantRefusal(grant: TokenGrant, role: Role, need: RequestNeed): string | null {
  const has = (s: TokenScope) => grant.scopes.includes(s);
  if (!has(need.scope)) return `This API token lacks the ${need.scope} scope`;
  if (need.admin && !has("admin")) return "This API token lacks the admin scope";
  if (grant.channelIds) {
    if (need.channelId === null || !grant.channelIds.includes(need.channelId)) return `This API token is limited to channel(s) ${grant.channelIds.join(", ")}`;
  }
  // Limited to this channel with write: an integration. Otherwise only an admin's admin token
  // may speak for customers: an agent's token could post into any team's conversation.
  if (need.inbound && !grant.channelIds && !(has("admin") && role === "admin")) {
    return "Posting inbound messages needs a token limited to this channel, or an admin token";
  }
  return null;
}
