// GET /live/channel-alert: the shell's banner of channels that stopped working. Read from the
// database, not the channel cache: the live notice can arrive before the cache has reloaded.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import { joinHtml, type PageEnv } from "../../view-context.ts";
import { ChannelAlert, type TroubledChannel } from "../../../../views/shell/channel-alert.tsx";
import { troubledChannelRows } from "../../../store/channel-health.ts";

export function troubledChannels(pano: Pano): TroubledChannel[] {
  return troubledChannelRows(pano.store.sqlite).map((r) => ({ id: r.id, name: r.name, type: r.type, status: r.status, detail: r.status_detail?.slice(0, 300) ?? null }));
}

/** Mounted by live.ts, behind its page session. */
export function channelAlertRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  app.get("/", (c) => {
    const view = c.get("view");
    c.header("Cache-Control", "no-store");
    if (view.user.role === "agent") return c.body(null, 204);
    return c.html(joinHtml(ChannelAlert({ ctx: view, channels: troubledChannels(pano) })));
  });
  return app;
}
