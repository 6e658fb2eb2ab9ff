// A channel's provider templates (ZNS): GET /api/v1/channels/:id/templates lists them as last
// synced, with their params' rules; POST .../templates/sync (admins) fetches them again now;
// GET .../usage shows what the admin watches (daily quota left, recent failures).
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import type { MessageTemplate } from "../../../channels/channel.ts";
import { requireRole } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { channelKind, hasChannelKind } from "../../../channels/registry.ts";
import { auditAction } from "../../../store/audit.ts";
import { idParam } from "./input.ts";

export function presentTemplate(t: MessageTemplate) {
  return {
    id: t.id, name: t.name, status: t.status, usable: t.usable, preview: t.preview, preview_url: t.previewUrl ?? null, price: t.price ?? null,
    params: t.params.map((p) => ({ name: p.name, type: p.type, required: p.required, max_length: p.maxLength, min_length: p.minLength })),
  };
}

export function channelTemplateRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const templated = (id: number) => {
    const channel = pano.channels.get(id);
    const outreach = channel && hasChannelKind(channel.type) ? channelKind(channel.type).outreach : undefined;
    if (!channel) throw new PanoError("not_found", "Channel not found");
    if (!outreach?.templates) throw new PanoError("validation_failed", "This channel has no message templates", "channel_id");
    return { channel, outreach };
  };

  app.get("/:id/templates", (c) => {
    const { channel, outreach } = templated(idParam(c));
    return c.json({ data: outreach.templates!(channel, pano.runtime).map(presentTemplate) });
  });

  app.post("/:id/templates/sync", requireRole("admin"), async (c) => {
    const { channel, outreach } = templated(idParam(c));
    const r = outreach.syncTemplates ? await outreach.syncTemplates(channel, pano.runtime) : { ok: false as const, reason: "This channel cannot sync templates" };
    await pano.writer.submit((tx) => auditAction(tx, c.get("user").id, "channel.templates_synced", { type: "channel", id: channel.id }, r));
    if (!r.ok) return c.json({ error: { code: "sync_failed", message: r.reason } }, 422);
    return c.json({ count: r.count, data: outreach.templates!(channel, pano.runtime).map(presentTemplate) });
  });

  app.get("/:id/usage", requireRole("admin", "supervisor"), (c) => {
    const { channel, outreach } = templated(idParam(c));
    return c.json({ data: outreach.usage?.(channel, pano.runtime) ?? [] });
  });

  return app;
}
