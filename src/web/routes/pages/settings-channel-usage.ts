// Settings › Channels › a channel with templates (ChannelKind.outreach): its usage lines and the
// "sync templates" button (POST /settings/channels/:id/templates/sync), audited like other admin actions.
import { Hono, type Context } from "hono";
import type { Pano } from "../../../pano.ts";
import type { Channel } from "../../../channels/channel.ts";
import type { ViewContext } from "../../../../views/context.ts";
import { joinHtml, type PageEnv } from "../../view-context.ts";
import { PanoError } from "../../../domain/errors.ts";
import { channelKind, hasChannelKind } from "../../../channels/registry.ts";
import { auditAction } from "../../../store/audit.ts";
import { label } from "../../../../views/settings/channels.tsx";
import { ChannelUsage, type ChannelUsageView } from "../../../../views/settings/channel-usage.tsx";
import { redirectWithNotice } from "./settings-notice.ts";

/** The usage block for a channel whose kind keeps templates, else null. */
export function channelUsage(pano: Pano, ctx: ViewContext, channel: Channel | null, result?: ChannelUsageView["result"]): ChannelUsageView | null {
  const outreach = channel && hasChannelKind(channel.type) ? channelKind(channel.type).outreach : undefined;
  if (!channel || !outreach?.syncTemplates) return null;
  const say = (key: string) => label(ctx, `${channel.type}.${key}`, key);
  return {
    channelId: channel.id, result,
    lines: (outreach.usage?.(channel, pano.runtime) ?? []).map((l) => ({ label: say(l.label), value: l.value })),
    syncLabel: say("zns.sync"),
  };
}

export function channelUsageRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  app.post("/:id{[0-9]+}/templates/sync", async (c: Context<PageEnv>) => {
    const ctx = c.get("view");
    const channel = pano.channels.get(Number(c.req.param("id")));
    const outreach = channel && hasChannelKind(channel.type) ? channelKind(channel.type).outreach : undefined;
    if (!channel || !outreach?.syncTemplates) throw new PanoError("not_found", "Channel not found");
    const r = await outreach.syncTemplates(channel, pano.runtime);
    await pano.writer.submit((tx) => auditAction(tx, ctx.user.id, "channel.templates_synced", { type: "channel", id: channel.id }, r));
    if (!c.req.header("hx-request")) return redirectWithNotice(c, `/settings/channels/${channel.id}`, "saved");
    // The kind's own sentences (zalo.zns.synced), with their values.
    const message = r.ok ? ctx.t(`${channel.type}.zns.synced` as never, { count: r.count }) : ctx.t(`${channel.type}.zns.sync_failed` as never, { reason: r.reason });
    return c.html(joinHtml(ChannelUsage({ ctx, u: channelUsage(pano, ctx, channel, { ok: r.ok, message })! })));
  });
  return app;
}
