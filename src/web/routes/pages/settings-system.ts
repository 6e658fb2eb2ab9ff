// Settings > System: what an admin checks first when something feels wrong (is backup running,
// are replies piling up). Read-only.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import type { PageEnv } from "../../view-context.ts";
import { replicationOf } from "../../../ops/replication.ts";
import { describeTarget } from "../../../ops/replica-target.ts";
import { SystemPage } from "../../../../views/settings/system.tsx";
import pkg from "../../../../package.json" with { type: "json" };

export function systemSettings(pano: Pano) {
  const app = new Hono<PageEnv>();
  app.get("/", (c) => {
    const r = replicationOf(pano);
    const state = r?.litestream.state;
    return c.html(SystemPage({
      ctx: c.get("view"),
      s: {
        version: pkg.version, dataDir: pano.config.dataDir, outboxDepth: pano.outbox.depth(), writerDepth: pano.writer.depth,
        replication: r && state
          ? { replica: describeTarget(r.target), status: state.status, lastSyncAt: state.lastSyncAt, lastError: state.lastError ?? r.files.lastError, restarts: state.restarts, pendingFiles: r.files.pending }
          : null,
      },
    }));
  });
  return app;
}
