// The routing rules page writes and tries rules through the REST handlers of
// /api/v1/routing-rules, called in-process as the signed-in admin: one set of validation rules
// (bad regex, unknown team, a rule that does nothing) and one "try" logic for API and page.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import type { UserRow } from "../../../store/users.ts";
import { PanoError } from "../../../domain/errors.ts";
import { routingRuleRoutes } from "../api/routing-rules.ts";

export type RoutingAnswer =
  | { ok: true; status: number; body: any }
  | { ok: false; status: number; code: string; message: string; field: string | null };

export function routingApi(pano: Pano) {
  const app = new Hono<Env & { Bindings: { asUser: UserRow } }>();
  app.onError((err, c) => {
    if (err instanceof PanoError) return c.json({ code: err.code, message: err.message, field: err.field ?? null }, 422);
    throw err;
  });
  app.use("*", async (c, next) => {
    c.set("user", c.env.asUser);
    c.set("viewer", pano.users.viewer(c.env.asUser));
    c.set("csrf", null);
    await next();
  });
  app.route("/", routingRuleRoutes(pano) as unknown as Hono<Env & { Bindings: { asUser: UserRow } }>);

  return async (user: UserRow, method: string, path: string, json?: unknown): Promise<RoutingAnswer> => {
    const init: RequestInit = json === undefined ? { method } : { method, headers: { "content-type": "application/json" }, body: JSON.stringify(json) };
    // The acting user travels as this request's env, so concurrent admins never swap identities.
    const res = await app.request(path, init, { asUser: user });
    const body = res.status === 204 ? null : await res.json();
    if (res.ok) return { ok: true, status: res.status, body };
    return { ok: false, status: res.status, code: body.code, message: body.message, field: body.field };
  };
}
