// Settings > API tokens: a new token is shown on the answer to its POST and never again (only
// its hash is stored); the admin chooses its scopes and may limit it to channels.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import type { PageEnv } from "../../view-context.ts";
import { PanoError } from "../../../domain/errors.ts";
import { apiToken, listApiTokens, missingChannels } from "../../../store/api-tokens-admin.ts";
import { FULL_GRANT, parseScopes } from "../../../domain/token-scope.ts";
import { TokensPage, type TokenForm } from "../../../../views/settings/tokens.tsx";
import { auditAction, ids, list, readForm, text } from "./settings-form.ts";
import { noticeFrom, redirectWithNotice } from "./settings-notice.ts";

export function tokenSettings(pano: Pano) {
  const app = new Hono<PageEnv>();
  const db = pano.store.sqlite;
  const people = () => pano.users.list().map((u) => ({ id: u.id, name: u.name, email: u.email }));
  const channels = () => pano.channels.list().map((ch) => ({ id: ch.id, name: ch.name }));
  const page = (c: Context<PageEnv>, form: TokenForm, created: string | null = null, status: 200 | 201 | 422 = 200) =>
    c.html(TokensPage({ ctx: c.get("view"), tokens: listApiTokens(db), people: people(), channels: channels(), form, created, notice: status === 200 ? noticeFrom(c) : null }), status);

  app.get("/", (c) => page(c, { values: {}, errors: {} }));

  app.post("/", async (c) => {
    const t = c.get("view").t;
    const f = await readForm(c);
    const values = { name: text(f, "name"), user_id: text(f, "user_id") };
    const errors: Record<string, string> = {};
    if (!values.name) errors.name = t("settings.err.required");
    else if (values.name.length > 100) errors.name = t("settings.err.too_long", { n: 100 });
    const owner = /^\d+$/.test(values.user_id) ? pano.users.byId(Number(values.user_id)) : null;
    if (!owner) errors.user_id = t("settings.err.choice");
    // No "scopes" field at all (a script posting name and owner only): the user's full rights, as
    // `pano token create` without --scopes. The page always sends it, so all boxes cleared is an error.
    const ticked = f.scopes === undefined ? null : list(f, "scopes").filter(Boolean);
    const parsed = parseScopes((ticked ?? FULL_GRANT.scopes).join(","));
    const scopes = "scopes" in parsed ? parsed.scopes : [];
    if (!scopes.length) errors.scopes = t("settings.tokens.scopes_required");
    const channelIds = [...new Set(ids(f, "channel_ids"))];
    if (missingChannels(db, channelIds).length) errors.channel_ids = t("settings.err.choice");
    const form = { values, errors, scopes: ticked ?? undefined, channelIds: channelIds.map(String) };
    if (Object.keys(errors).length || !owner) return page(c, { ...form, formError: t("settings.fix_errors") }, null, 422);
    const grant = { scopes, channelIds: channelIds.length ? channelIds : null };
    const token = await pano.users.createToken(owner.id, values.name, grant, (tx, id) =>
      auditAction(tx, c.get("user").id, "api_token.created", { type: "api_token", id }, { name: values.name, user_id: owner.id, scopes, channel_ids: grant.channelIds }),
    );
    return page(c, { values: {}, errors: {} }, token, 201);
  });

  app.post("/:id{[0-9]+}/revoke", async (c) => {
    const tk = apiToken(db, Number(c.req.param("id")));
    if (!tk) throw new PanoError("not_found", "Token not found");
    if (tk.revoked_at === null) {
      await pano.users.revokeToken(tk.id, (tx) => auditAction(tx, c.get("user").id, "api_token.revoked", { type: "api_token", id: tk.id }, { name: tk.name }));
    }
    return redirectWithNotice(c, "/settings/tokens", "revoked");
  });

  return app;
}
