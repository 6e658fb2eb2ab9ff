// Agents' presence for automatic assignment. An agent is online while a live connection is open
// (the inbox's SSE stream, or this API stream for other clients) and their status is "online";
// capacity caps how many open conversations assignment gives them.
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import { endOnRevocation, type Env } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { setAgentStatus, teamIdsOf } from "../../../store/assignment.ts";
import { readJson, idParam } from "./input.ts";
import { presentUser } from "./present.ts";

const statusSchema = z.object({
  availability: z.enum(["online", "away", "offline"]).optional(),
  capacity: z.number().int().min(0).max(100_000).optional(),
});
const PING_MS = 15_000;

export function presenceRoutes(pano: Pano) {
  const app = new Hono<Env>();

  app.get("/presence/stream", (c) => {
    const user = c.get("user");
    return streamSSE(c, async (stream) => {
      const release = pano.presence.connect(user.id);
      stream.onAbort(release);
      let revoke!: () => void;
      const revoked = new Promise<"revoked">((resolve) => (revoke = () => resolve("revoked")));
      const unsubscribe = endOnRevocation(pano, c, revoke);
      try {
        await stream.writeSSE({ event: "presence", data: JSON.stringify({ user_id: String(user.id), connected: true }) });
        while (!stream.aborted && !stream.closed) {
          if ((await Promise.race([stream.sleep(PING_MS), revoked])) === "revoked") break;
          await stream.writeSSE({ event: "ping", data: "" });
        }
      } finally {
        unsubscribe();
        release();
      }
    });
  });

  /** Agents set their own status; admins and supervisors anyone's, and capacity. */
  app.put("/users/:id{[0-9]+}/status", async (c) => {
    const userId = idParam(c);
    const me = c.get("user");
    if (userId !== me.id && me.role === "agent") throw new PanoError("forbidden", "Agents may change only their own status");
    const body = await readJson(c, statusSchema);
    if (body.capacity !== undefined && me.role === "agent") throw new PanoError("forbidden", "Only an admin or supervisor sets capacity");
    if (!pano.users.byId(userId)) throw new PanoError("not_found", "User not found");
    await pano.writer.submit((tx) => setAgentStatus(tx, userId, body, me.id));
    pano.routing?.assigner.touch(teamIdsOf(pano.store.sqlite, userId));
    const u = pano.users.byId(userId)!;
    return c.json({ ...presentUser(u, pano.users.teamIds(u.id)), connected: pano.presence.isConnected(u.id) });
  });

  return app;
}
