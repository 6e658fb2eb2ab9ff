// The customer's name and picture, fetched once after their first message is committed
// (enrich.ts), never on the webhook path. A failure throws, so the contact stays unfetched and
// enrich's sweep tries again later (returning null would mark it done).
import type { Channel, ChannelRuntime } from "../channel.ts";
import type { ContactRef } from "../../domain/message.ts";
import type { FacebookConfig } from "./config.ts";
import { graphCall, graphUrl } from "./graph.ts";

export async function fetchFacebookProfile(psid: string, channel: Channel<FacebookConfig>, rt: ChannelRuntime): Promise<Partial<ContactRef> | null> {
  const url = graphUrl(channel, rt, encodeURIComponent(psid), { fields: "first_name,last_name,profile_pic" });
  const answer = await graphCall<{ first_name?: string; last_name?: string; profile_pic?: string }>(rt, url);
  if (!answer.ok) {
    rt.log("warn", "facebook profile fetch failed", { channel_id: channel.id, status: answer.status, code: answer.error?.code });
    if (answer.error?.code === 190) await rt.setStatus(channel.id, "needs_reconnect", "The Page access token is invalid or expired");
    throw new Error(`profile fetch failed: HTTP ${answer.status}${answer.error?.message ? ` ${answer.error.message}` : ""}`);
  }
  const p = answer.body;
  // Vietnamese names read family name first, but Messenger shows "first last"; keep Meta's order.
  const name = [p.first_name, p.last_name].filter(Boolean).join(" ").trim();
  return { name: name || undefined, avatarUrl: p.profile_pic || undefined };
}
