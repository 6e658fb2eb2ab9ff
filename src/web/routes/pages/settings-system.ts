// Settings > System: what an admin checks first when something feels wrong (is backup running,
// are replies piling up, who changed what). Read-only.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import type { PageEnv } from "../../view-context.ts";
import { replicationOf } from "../../../ops/replication.ts";
import { describeTarget } from "../../../ops/replica-target.ts";
import { SystemPage } from "../../../../views/settings/system.tsx";
import { auditEntries } from "../api/audit.ts";
import pkg from "../../../../package.json" with { type: "json" };

const AUDIT_ROWS = 50;

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
        // People's actions only: the system's own rows (user.created at first start, ...) are in the API.
        audit: auditEntries(pano, { actorType: "user" }, AUDIT_ROWS).data,
      },
    }));
  });
  return app;
}
