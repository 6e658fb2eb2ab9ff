// PANO_DATABASE_URL, read into postgres.js's options. libpq's URLs may name a Unix socket's
// directory in `?host=/dir` (or an encoded host part); postgres.js wants the socket's own path.
import { join } from "node:path";

export interface PostgresOptions {
  host?: string;
  port: number;
  path?: string;
  database: string;
  username: string;
  password?: string;
  ssl?: "require" | "prefer" | false;
}

export function postgresOptions(url: string): PostgresOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error("PANO_DATABASE_URL is not a URL (postgres://user:pass@host:5432/db)");
  }
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") throw new Error(`PANO_DATABASE_URL must start with postgres://, not ${u.protocol}//`);
  const port = Number(u.searchParams.get("port") ?? u.port) || 5432;
  const database = decodeURIComponent(u.pathname.replace(/^\//, "")) || "postgres";
  const username = decodeURIComponent(u.username) || process.env.USER || "postgres";
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  const host = u.searchParams.get("host") ?? decodeURIComponent(u.hostname);
  const sslmode = u.searchParams.get("sslmode");
  const ssl = sslmode === "require" || sslmode === "verify-full" || sslmode === "verify-ca" ? "require" : sslmode === "prefer" ? "prefer" : false;
  if (host.startsWith("/")) return { path: join(host, `.s.PGSQL.${port}`), port, database, username, password, ssl: false };
  return { host: host || "localhost", port, database, username, password, ssl };
}

/** The URL with its password hidden, for logs and errors. */
export function describePostgres(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unreadable PANO_DATABASE_URL)";
  }
}

/**
 * One long-lived session of its own (LISTEN, advisory locks): a single connection, never closed
 * for idleness or age (postgres.js ends one after 30-60 minutes by default, and what the session
 * holds or hears with it), named in pg_stat_activity.
 */
export function sessionOptions(url: string, application: string) {
  return {
    ...postgresOptions(url),
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    connect_timeout: 10,
    fetch_types: false,
    onnotice: () => {},
    connection: { application_name: application },
  };
}
