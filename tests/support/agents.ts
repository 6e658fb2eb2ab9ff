// People and queues for routing stories: agents with their own tokens, who come online by
// holding the presence stream open (as the inbox does) and go offline by closing it.
import { runPano, type PanoProcess } from "./pano.ts";

export interface Agent {
  id: string;
  email: string;
  token: string;
  /** Opens a live connection; resolves once Pano counts the agent as connected. */
  goOnline(): Promise<void>;
  goOffline(): void;
}

export async function addAgent(pano: PanoProcess, email: string, teamIds: string[], capacity?: number): Promise<Agent> {
  const user = await pano.json("/api/v1/users", { method: "POST", json: { email, password: "mat-khau-dai-du-8", name: email.split("@")[0], role: "agent", team_ids: teamIds } });
  if (capacity !== undefined) await pano.json(`/api/v1/users/${user.id}/status`, { method: "PUT", json: { capacity } });
  const tok = await runPano(["token", "create", "--name", email, "--user", email], { PANO_DATA_DIR: pano.dataDir });
  if (tok.code !== 0) throw new Error(`token create failed: ${tok.stderr}`);
  let live: AbortController | null = null;
  const agent: Agent = {
    id: user.id,
    email,
    token: tok.stdout.trim(),
    async goOnline() {
      live = new AbortController();
      const r = await fetch(`${pano.url}/api/v1/presence/stream`, { headers: { authorization: `Bearer ${agent.token}` }, signal: live.signal });
      if (!r.ok || !r.body) throw new Error(`presence stream: ${r.status}`);
      const reader = r.body.getReader();
      await reader.read(); // the first event: Pano has counted the connection
      void (async () => {
        try {
          while (!(await reader.read()).done);
        } catch {
          // closed by goOffline
        }
      })();
    },
    goOffline() {
      live?.abort();
      live = null;
    },
  };
  return agent;
}

export async function addTeam(pano: PanoProcess, name: string, assignment: "round_robin" | "least_open" | "manual" = "round_robin"): Promise<string> {
  return (await pano.json("/api/v1/teams", { method: "POST", json: { name, assignment } })).id;
}

/** A customer's message on an api channel; returns the conversation id. */
export async function customerSays(pano: PanoProcess, channelId: string, customer: string, text: string, messageId = `${customer}-${Math.random()}`): Promise<string> {
  const r = await pano.json(`/api/v1/channels/${channelId}/inbound`, { method: "POST", json: { external_contact_id: customer, contact_name: customer, external_message_id: messageId, text } });
  return r.conversation_id;
}
