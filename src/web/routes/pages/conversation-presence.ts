// Who else has this conversation open (pipeline/agents-here.ts): POST /conversations/:id/here is the
// open conversation's heartbeat and answers with who is here; /leave says the agent moved on. Each
// change goes out on the inbox's live stream (/live) as a passing "here" event {c, a:[...]} to
// those who may see the conversation, so every agent in it sees the others come, type and go.
import { Hono } from "hono";
import type { Pano } from "../../../pano.ts";
import type { PageEnv } from "../../view-context.ts";
import { AgentsHere, type AgentHere } from "../../../pipeline/agents-here.ts";
import { SharedAgentsHere } from "../../../pipeline/agents-here-shared.ts";
import { liveHub } from "./live.ts";
import { visibleTo } from "./conversation-data.ts";

const instances = new WeakMap<Pano, AgentsHere>();

const present = (here: AgentHere[]) => here.map((a) => ({ id: String(a.userId), name: a.name, typing: a.typing }));

/** This Pano's record of who is where, told to the live stream and cleared when an agent's last connection closes. */
export function agentsHere(pano: Pano): AgentsHere {
  let here = instances.get(pano);
  if (here) return here;
  // Instances on PostgreSQL share it through the database (a heartbeat may reach any of them).
  const created = pano.store.kind === "postgres" ? new SharedAgentsHere(pano.store.sqlite, Date.now, (err) => pano.log("warn", "agents here: reading who is where failed", { error: String(err) })) : new AgentsHere();
  const hub = liveHub(pano);
  created.onChange((c, list) => hub.passing(c, { c, a: present(list) }, "here"));
  pano.presence.onChange((userId, online) => online || created.leaveAll(userId));
  instances.set(pano, (here = created));
  return here;
}

/** ?tab=: the page's own id, so closing one of an agent's tabs does not take them out of a conversation another still shows. */
const tabOf = (v: string | undefined) => (v && /^[A-Za-z0-9_-]{1,40}$/.test(v) ? v : "");

export function conversationPresenceRoutes(pano: Pano) {
  const app = new Hono<PageEnv>();
  app.post("/:id/here", (c) => {
    const conv = visibleTo(pano, c, c.req.param("id"));
    const user = c.get("user");
    return c.json({ agents: present(agentsHere(pano).viewing(conv.id, { id: user.id, name: user.name }, tabOf(c.req.query("tab")))) });
  });
  // No visibility check: leaving tells nothing, and the conversation may have just moved out of sight.
  app.post("/:id{[0-9]+}/leave", (c) => {
    agentsHere(pano).leave(Number(c.req.param("id")), c.get("user").id, tabOf(c.req.query("tab")));
    return c.body(null, 204);
  });
  return app;
}
