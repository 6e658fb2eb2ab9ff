// A real Pano wired to the Zalo simulator, with one OA connected: what every Zalo story starts from.
import { startPano, eventually, type PanoProcess } from "../support/pano.ts";
import { startZaloSim, type ZaloSim, type ZaloSimOptions } from "./zalo.ts";

export interface ZaloWorld {
  pano: PanoProcess;
  sim: ZaloSim;
  channelId: string;
  /** The config the channel was created with (its first token pair). */
  config: ReturnType<ZaloSim["channelConfig"]>;
  /** Stops Pano and starts it again on the same data dir (on a new port: the simulator is told). */
  restartPano(): Promise<void>;
  stop(): Promise<void>;
  /** The conversation of a Zalo user, once it exists. */
  conversationOf(userId: string): Promise<any>;
  messagesOf(conversationId: string): Promise<any[]>;
  contactOf(userId: string): Promise<any>;
}

export async function startZaloWorld(opts: { sim?: ZaloSimOptions; env?: Record<string, string>; expiresInMs?: number; dataDir?: string } = {}): Promise<ZaloWorld> {
  const sim = await startZaloSim(opts.sim);
  const env = { PANO_ZALO_API_URL: sim.url, PANO_ZALO_OAUTH_URL: sim.url, PANO_ZALO_ZNS_URL: sim.url, PANO_RETRY_BASE_MS: "200", ...opts.env };
  let pano = await startPano({ dataDir: opts.dataDir, env });
  sim.setPano(pano.url);
  const config = sim.channelConfig({ expiresInMs: opts.expiresInMs });
  const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "zalo", name: "Shop Hoa Mai", config } });
  const contactOf = async (userId: string) => {
    const list = await pano.json(`/api/v1/contacts?q=${encodeURIComponent(userId)}`);
    const hit = list.data.find((c: any) => c.identities?.some((i: any) => i.external_id === userId)) ?? null;
    return hit && pano.json(`/api/v1/contacts/${hit.id}`);
  };
  const world: ZaloWorld = {
    pano, sim, channelId: ch.id, config, contactOf,
    async restartPano() {
      await world.pano.stop();
      pano = world.pano = await startPano({ dataDir: pano.dataDir, env });
      sim.setPano(pano.url);
    },
    async conversationOf(userId) {
      return eventually(async () => {
        const c = await contactOf(userId);
        const id = c?.conversation_ids?.[0];
        return id ? pano.json(`/api/v1/conversations/${id}`) : null;
      }, 5000, `a conversation for Zalo user ${userId}`);
    },
    async messagesOf(conversationId) {
      return (await pano.json(`/api/v1/conversations/${conversationId}/messages?limit=100`)).data;
    },
    async stop() {
      await pano.stop();
      await sim.stop();
    },
  };
  return world;
}
