// A signed-in person for settings stories: logs in through /login like a browser, keeps the
// session cookie, and posts forms with the page's CSRF token.
import { openDatabaseOf, type PanoProcess } from "./support/pano.ts";

export interface PageSession {
  cookie: string;
  csrf: string;
  get(path: string): Promise<{ status: number; html: string; location: string | null }>;
  /** Posts a url-encoded form; repeated names via arrays. `csrf: false` leaves the token out. */
  post(path: string, fields: Record<string, string | string[]>, opts?: { csrf?: boolean }): Promise<{ status: number; html: string; location: string | null }>;
}

export async function signIn(p: PanoProcess, email: string, password: string): Promise<PageSession> {
  const res = await fetch(`${p.url}/login`, {
    method: "POST", redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, next: "/settings" }),
  });
  if (res.status !== 303) throw new Error(`login as ${email} failed: ${res.status}`);
  const cookie = res.headers.get("set-cookie")!.split(";")[0];
  const answer = async (r: Response) => ({ status: r.status, html: await r.text(), location: r.headers.get("location") });
  const get = async (path: string) => answer(await fetch(p.url + path, { headers: { cookie }, redirect: "manual" }));
  const account = await get("/account");
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(account.html)?.[1];
  if (!csrf) throw new Error("no CSRF token on /account");
  return {
    cookie, csrf, get,
    async post(path, fields, opts = {}) {
      const body = new URLSearchParams();
      if (opts.csrf !== false) body.append("_csrf", csrf);
      for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
      return answer(await fetch(p.url + path, { method: "POST", redirect: "manual", headers: { cookie, "content-type": "application/x-www-form-urlencoded" }, body }));
    },
  };
}

/** The audit trail as written to disk (read-only; Pano keeps writing beside us). */
export function auditRows(p: PanoProcess, action: string): { actor_type: string; actor_id: number | null; subject_id: number | null; data: string | null }[] {
  const db = openDatabaseOf(p.dataDir);
  try {
    return db.query<any, [string]>("SELECT actor_type, actor_id, subject_id, data FROM audit_log WHERE action = ? ORDER BY id").all(action);
  } finally {
    db.close();
  }
}

/** Text of the element marked as the error for one form field (fields.tsx: id f-<name>-error). */
export function fieldError(html: string, name: string): string | null {
  const id = `f-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}-error`;
  const m = new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html);
  return m ? m[1] : null;
}
