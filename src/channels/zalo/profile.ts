// Display name, avatar and (once shared) phone from GET /v3.0/oa/user/detail. Called by enrich
// after commit. A failure throws: enrich then leaves the contact unfetched and its sweep asks
// again later (a null answer would mark the contact as done, named by its id for good).
import type { ChannelRuntime } from "../channel.ts";
import type { ContactRef } from "../../domain/message.ts";
import { callZalo } from "./api.ts";

export async function zaloProfile(userId: string, channelId: number, rt: ChannelRuntime): Promise<Partial<ContactRef> | null> {
  const r = await callZalo(rt, channelId, "/v3.0/oa/user/detail", { query: { data: JSON.stringify({ user_id: userId }) } });
  if (!r.ok) {
    const why = r.zaloError ? `Zalo ${r.zaloError.error}: ${r.zaloError.message ?? ""}` : r.failure?.reason ?? "unknown";
    rt.log("warn", "zalo user detail failed", { channel_id: channelId, error: why });
    throw new Error(`zalo user detail failed (${why})`);
  }
  const d = r.answer.data ?? {};
  const avatar = d.avatar || d.avatars?.["240"] || d.avatars?.["120"];
  return {
    name: d.display_name || undefined,
    avatarUrl: typeof avatar === "string" && avatar ? avatar : undefined,
    phone: d.shared_info?.phone ? String(d.shared_info.phone) : undefined,
  };
}
