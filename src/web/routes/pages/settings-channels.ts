// Settings > Channels: list with health, add/edit per kind (validated by the kind's own schema),
// pause/resume/delete, and the connection test. Secrets are write-only: never sent back.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import type { PageEnv } from "../../view-context.ts";
import type { ViewContext } from "../../../../views/context.ts";
import type { ChannelType } from "../../../domain/message.ts";
import type { Channel } from "../../../channels/channel.ts";
import { allChannelKinds, channelKind, hasChannelKind } from "../../../channels/registry.ts";
import { PanoError } from "../../../domain/errors.ts";
import { ChannelsPage, ChannelFormPage, TestResult, label, typeLabel, type FieldView } from "../../../../views/settings/channels.tsx";
import { channelUsage, channelUsageRoutes } from "./settings-channel-usage.ts";
import { configFields, displayChecked, displayValue, formToConfig, hasSaved, secretsToRetype, type FieldSpec } from "./settings-channel-fields.ts";
import { testChannel } from "./settings-channel-test.ts";
import { listTeams } from "../../../store/teams.ts";
import { privateUrlField } from "../../../channels/outside-urls.ts";
import { webhookPath } from "../webhooks.ts";
import { auditAction, issuesByField, readForm, text, type FieldErrors, type FormValues } from "./settings-form.ts";
import { noticeFrom, redirectWithNotice } from "./settings-notice.ts";

/** A list's issue names its item (config.allowed_origins.1): shown beside the whole list. */
const errorOf = (errors: FieldErrors, f: FieldSpec) =>
  errors[`config.${f.name}`] ?? (f.kind === "list" ? Object.entries(errors).find(([k]) => k.startsWith(`config.${f.name}.`))?.[1] : undefined);

function fieldViews(pano: Pano, ctx: ViewContext, type: ChannelType, specs: FieldSpec[], form: FormValues | null, saved: Record<string, unknown> | null, errors: FieldErrors): FieldView[] {
  return specs.map((f) => ({
    name: f.name, kind: f.kind, required: f.required, format: f.format,
    // A field naming another channel chooses among the saved channels of that type; one naming a team, among the teams.
    options: f.kind === "channel" ? pano.channels.list().filter((ch) => ch.type === f.channelType).map((ch) => ({ value: String(ch.id), label: ch.name }))
      : f.kind === "team" ? listTeams(pano.store.sqlite, "name").map((t) => ({ value: String(t.id), label: t.name }))
      : f.options?.map((o) => ({ value: o, label: label(ctx, `${type}.option.${o}`, o) })),
    label: label(ctx, `${type}.field.${f.key}`, f.key),
    value: displayValue(f, form, saved),
    checked: displayChecked(f, form, saved),
    saved: hasSaved(f, saved),
    error: errorOf(errors, f),
    children: f.children ? fieldViews(pano, ctx, type, f.children, form, saved, errors) : undefined,
  }));
}

/** A saved channel's lines to paste elsewhere and its live preview, as the kind declares them. */
function showcase(pano: Pano, ctx: ViewContext, channel: Channel | null) {
  if (!channel) return { snippets: [], preview: null };
  const kind = channelKind(channel.type);
  const base = pano.config.publicUrl.replace(/\/$/, "");
  const preview = kind.settingsPreview?.(channel, base) ?? null;
  return {
    snippets: (kind.settingsSnippets?.(channel, base) ?? []).map((s) => ({ label: label(ctx, `${channel.type}.${s.label}`, s.label), code: s.code })),
    preview: preview ? { src: preview.path, title: label(ctx, `${channel.type}.${preview.title}`, preview.title) } : null,
  };
}

/** What to paste where: the webhook URL of a kind that takes webhooks, then the addresses the kind names itself. */
function endpoints(pano: Pano, ctx: ViewContext, type: ChannelType, id: number | null) {
  const base = pano.config.publicUrl.replace(/\/$/, "");
  const kind = channelKind(type);
  return [
    ...(kind.webhook ? [{ label: ctx.t("settings.channels.webhook_url"), url: `${base}${webhookPath(type)}` }] : []),
    ...(kind.endpoints?.(id) ?? []).map((e) => ({ label: label(ctx, `${type}.${e.label}`, e.label), url: `${base}${e.path}` })),
  ];
}

/** The kind's own links for a saved channel ("Connect with Zalo"), in the reader's language. */
function settingsLinks(ctx: ViewContext, channel: Channel | null) {
  if (!channel) return [];
  return (channelKind(channel.type).settingsLinks?.(channel.id) ?? []).map((l) => ({
    href: l.href, label: label(ctx, `${channel.type}.${l.label}`, l.label), hint: l.hint ? label(ctx, `${channel.type}.${l.hint}`, l.hint) : undefined,
  }));
}

type Validated = { ok: true; name: string; config: Record<string, unknown> } | { ok: false; errors: FieldErrors; formError: string };

/** The kind's schema decides what is valid; its issues come back per field in the reader's language. */
function validate(pano: Pano, ctx: ViewContext, type: ChannelType, form: FormValues, existing: Channel | null): Validated {
  const kind = channelKind(type);
  const fields = configFields(kind);
  const candidate = formToConfig(fields, form, existing?.config ?? null);
  const retype = secretsToRetype(fields, form, existing?.config ?? null);
  // Fields the form cannot show (unions, arrays) keep their saved values.
  const merged = existing ? { ...existing.config, ...candidate } : candidate;
  const errors: FieldErrors = {};
  const name = text(form, "name");
  if (!name) errors.name = ctx.t("settings.err.required");
  else if (name.length > 100) errors.name = ctx.t("settings.err.too_long", { n: 100 });
  for (const f of retype) errors[`config.${f}`] = ctx.t("settings.err.secret_again");
  if (retype.length) return { ok: false, errors, formError: ctx.t("settings.channels.secret_again") };
  const parsed = kind.configSchema.safeParse(merged);
  if (!parsed.success) Object.assign(errors, issuesByField(parsed.error, ctx.t, merged, ["config"]));
  if (parsed.success) {
    const own = privateUrlField(kind, parsed.data as Record<string, unknown>, pano.config.allowPrivateFetch);
    if (own) errors[`config.${own}`] = ctx.t("settings.err.private_url");
    const key = kind.externalKey(parsed.data);
    const other = key ? pano.channels.byExternalKey(type, key) : undefined;
    if (other && other.id !== existing?.id) return { ok: false, errors, formError: ctx.t("settings.channels.exists", { type: typeLabel(ctx, type), key: key! }) };
  }
  if (Object.keys(errors).length || !parsed.success) return { ok: false, errors, formError: ctx.t("settings.fix_errors") };
  return { ok: true, name, config: parsed.data as Record<string, unknown> };
}

export function channelSettings(pano: Pano) {
  const app = new Hono<PageEnv>();
  const types = () => allChannelKinds().map((k) => k.type);

  const channelOr404 = (c: Context<PageEnv>) => {
    const id = Number(c.req.param("id"));
    const ch = Number.isSafeInteger(id) ? pano.channels.get(id) : undefined;
    if (!ch) throw new PanoError("not_found", "Channel not found");
    return ch;
  };
  const typeOr404 = (c: Context<PageEnv>): ChannelType => {
    const type = c.req.param("type") ?? "";
    if (!hasChannelKind(type)) throw new PanoError("not_found", "No such channel type");
    return type;
  };

  const renderForm = (c: Context<PageEnv>, p: { type: ChannelType; channel: Channel | null; form: FormValues | null; errors?: FieldErrors; formError?: string | null; test?: { ok: boolean; message: string } | null }, status: 200 | 422 = 200) => {
    const ctx = c.get("view");
    const saved = p.channel?.config ?? null;
    const fields = fieldViews(pano, ctx, p.type, configFields(channelKind(p.type)), p.form, saved, p.errors ?? {});
    const name = p.form ? text(p.form, "name") : p.channel?.name ?? "";
    return c.html(
      ChannelFormPage({
        ctx, type: p.type, channelId: p.channel?.id ?? null, name, fields, errors: p.errors ?? {}, formError: p.formError, test: p.test,
        endpoints: endpoints(pano, ctx, p.type, p.channel?.id ?? null),
        links: settingsLinks(ctx, p.channel),
        ...showcase(pano, ctx, p.channel),
        usage: channelUsage(pano, ctx, p.channel),
        notice: p.form ? null : noticeFrom(c),
      }),
      status,
    );
  };

  const audit = (actorId: number, action: string, id: number, data?: unknown) =>
    pano.writer.submit((tx) => auditAction(tx, actorId, action, { type: "channel", id }, data));

  app.route("/", channelUsageRoutes(pano));

  app.get("/", (c) =>
    c.html(ChannelsPage({ ctx: c.get("view"), channels: pano.channels.list(), types: types(), notice: noticeFrom(c) })),
  );

  app.get("/new/:type", (c) => renderForm(c, { type: typeOr404(c), channel: null, form: null }));

  app.post("/new/:type", async (c) => {
    const type = typeOr404(c);
    const form = await readForm(c);
    const v = validate(pano, c.get("view"), type, form, null);
    if (!v.ok) return renderForm(c, { type, channel: null, form, errors: v.errors, formError: v.formError }, 422);
    const ch = await pano.channels.create(type, v.name, v.config);
    await audit(c.get("user").id, "channel.created", ch.id, { type, name: v.name });
    await pano.restartChannel(ch.id);
    return redirectWithNotice(c, `/settings/channels/${ch.id}`, "saved");
  });

  // Runs the kind's connection test on what is in the form, saved or not.
  app.post("/test", async (c) => {
    const ctx = c.get("view");
    const form = await readForm(c);
    const type = text(form, "type");
    if (!hasChannelKind(type)) throw new PanoError("not_found", "No such channel type");
    const existing = /^\d+$/.test(text(form, "channel_id")) ? pano.channels.get(Number(text(form, "channel_id"))) ?? null : null;
    const v = validate(pano, ctx, type, form, existing);
    const result = v.ok
      ? await testChannel(pano, { id: existing?.id ?? 0, type, name: v.name, status: "active", config: v.config }, ctx.t)
      : { ok: false, message: v.formError };
    if (c.req.header("hx-request")) return c.html(TestResult({ result }) ?? "");
    return renderForm(c, { type, channel: existing, form, errors: v.ok ? {} : v.errors, formError: v.ok ? null : v.formError, test: result }, v.ok ? 200 : 422);
  });

  app.get("/:id{[0-9]+}", (c) => {
    const ch = channelOr404(c);
    return renderForm(c, { type: ch.type, channel: ch, form: null });
  });

  app.post("/:id{[0-9]+}", async (c) => {
    const ch = channelOr404(c);
    const form = await readForm(c);
    const v = validate(pano, c.get("view"), ch.type, form, ch);
    if (!v.ok) return renderForm(c, { type: ch.type, channel: ch, form, errors: v.errors, formError: v.formError }, 422);
    // Saving after a reconnect clears the old error; a paused channel stays paused.
    const status = ch.status === "paused" ? undefined : "active";
    await pano.channels.update(ch.id, { name: v.name, config: v.config, status, statusDetail: status ? null : undefined });
    await audit(c.get("user").id, "channel.updated", ch.id, { name: v.name });
    await pano.restartChannel(ch.id);
    return redirectWithNotice(c, `/settings/channels/${ch.id}`, "saved");
  });

  app.post("/:id{[0-9]+}/pause", async (c) => {
    const ch = channelOr404(c);
    await pano.channels.update(ch.id, { status: "paused" });
    await audit(c.get("user").id, "channel.paused", ch.id);
    await pano.restartChannel(ch.id);
    return redirectWithNotice(c, "/settings/channels", "saved");
  });

  app.post("/:id{[0-9]+}/resume", async (c) => {
    const ch = channelOr404(c);
    await pano.channels.update(ch.id, { status: "active", statusDetail: null });
    await audit(c.get("user").id, "channel.resumed", ch.id);
    await pano.restartChannel(ch.id);
    return redirectWithNotice(c, "/settings/channels", "saved");
  });

  app.post("/:id{[0-9]+}/delete", async (c) => {
    const ch = channelOr404(c);
    await pano.channels.remove(ch.id);
    await pano.restartChannel(ch.id);
    await audit(c.get("user").id, "channel.deleted", ch.id, { type: ch.type, name: ch.name });
    return redirectWithNotice(c, "/settings/channels", "deleted");
  });

  return app;
}
