// /api/v1/channels: connect, list, edit, remove channels; the API channel's inbound endpoint.
import { Hono } from "hono";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { requireRole } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import type { ChannelType } from "../../../domain/message.ts";
import { channelKind, channelTypes } from "../../../channels/registry.ts";
import { apiInboundSchema } from "../../../channels/api/index.ts";
import { privateUrlField } from "../../../channels/outside-urls.ts";
import { readJson, idParam, pageById } from "./input.ts";
import { presentChannel, sid } from "./present.ts";

const createSchema = z.object({ type: z.enum(channelTypes()), name: z.string().trim().min(1).max(100), config: z.record(z.string(), z.unknown()).default({}) });
const patchSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  status: z.enum(["active", "paused"]).optional(),
});

function validateConfig(type: ChannelType, config: unknown, allowPrivateFetch: boolean) {
  const r = channelKind(type).configSchema.safeParse(config);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = ["config", ...issue.path].join(".");
    throw new PanoError("validation_failed", `${field}: ${issue.message}`, field);
  }
  const own = privateUrlField(channelKind(type), r.data as Record<string, unknown>, allowPrivateFetch);
  if (own) throw new PanoError("validation_failed", `config.${own}: must not point at a private, loopback or link-local address`, `config.${own}`);
  return r.data as Record<string, unknown>;
}

export function channelRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const admin = requireRole("admin");

  app.get("/", (c) => {
    const page = pageById(c, pano.channels.list(), (ch) => ch.id);
    return c.json({ data: page.data.map(presentChannel), next_cursor: page.next_cursor });
  });

  app.post("/", admin, async (c) => {
    const body = await readJson(c, createSchema);
    const config = validateConfig(body.type, body.config, pano.config.allowPrivateFetch);
    const key = channelKind(body.type).externalKey(config);
    if (key && pano.channels.byExternalKey(body.type, key)) throw new PanoError("conflict", `A ${body.type} channel for ${key} already exists`);
    const ch = await pano.channels.create(body.type, body.name, config);
    await pano.restartChannel(ch.id);
    return c.json(presentChannel(ch), 201);
  });

  app.get("/:id", (c) => {
    const ch = pano.channels.get(idParam(c));
    if (!ch) throw new PanoError("not_found", "Channel not found");
    return c.json(presentChannel(ch));
  });

  app.patch("/:id", admin, async (c) => {
    const id = idParam(c);
    const ch = pano.channels.get(id);
    if (!ch) throw new PanoError("not_found", "Channel not found");
    const body = await readJson(c, patchSchema);
    const config = body.config ? validateConfig(ch.type, { ...ch.config, ...body.config }, pano.config.allowPrivateFetch) : undefined;
    // Re-saving a channel after reconnecting clears the old error.
    const status = body.status ?? (config ? "active" : undefined);
    const updated = await pano.channels.update(id, { name: body.name, config, status, statusDetail: status === "active" ? null : undefined });
    await pano.restartChannel(id);
    return c.json(presentChannel(updated!));
  });

  app.delete("/:id", admin, async (c) => {
    const id = idParam(c);
    if (!pano.channels.get(id)) throw new PanoError("not_found", "Channel not found");
    await pano.restartChannel(id).catch(() => {});
    await pano.channels.remove(id);
    await pano.restartChannel(id);
    return c.body(null, 204);
  });

  app.post("/:id/inbound", async (c) => {
    const started = performance.now();
    const ch = pano.channels.get(idParam(c));
    if (!ch) throw new PanoError("not_found", "Channel not found");
    if (ch.type !== "api") throw new PanoError("channel_type_mismatch", "Only api channels accept inbound messages here");
    const body = await readJson(c, apiInboundSchema);
    const events = channelKind("api").parse({ ...body, received_at: new Date() }, ch);
    const [r] = await pano.ingest.submit(events);
    // The same histogram as the provider webhooks: arrival to durable acknowledgement.
    pano.metrics.observe("pano_webhook_ack_seconds", "Time from webhook arrival to durable acknowledgement", (performance.now() - started) / 1000, { channel: "api" });
    return c.json({ message_id: sid(r.messageId), conversation_id: sid(r.conversationId), contact_id: sid(r.contactId) }, r.duplicate ? 200 : 202);
  });

  return app;
}
