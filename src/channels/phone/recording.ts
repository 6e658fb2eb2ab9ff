// Where a call's recording is fetched. A generic PBX posts its file's URL (recording_url). Stringee
// serves a recorded call's mp3 from its REST API, GET {api}/v1/call/play/<call_id>, signed with the
// same short-lived X-STRINGEE-AUTH JWT as a callout (recalled from its REST docs; the simulator
// follows it). A Stringee call that was not recorded answers 404 there: no player, nothing kept.
import type { Channel, ChannelRuntime } from "../channel.ts";
import type { PhoneConfig } from "./config.ts";
import { stringeeRestToken } from "./callout.ts";

export function recordingRequest(call: { callId: string; recordingUrl: string | null }, channel: Channel<PhoneConfig>, rt: ChannelRuntime): { url: string; headers?: Record<string, string> } | null {
  const c = channel.config;
  if (c.provider === "generic") return call.recordingUrl ? { url: call.recordingUrl } : null;
  // Never the key to an address an event named: only to the operator-set API base.
  const url = `${rt.urls.stringeeApi.replace(/\/$/, "")}/v1/call/play/${encodeURIComponent(call.callId)}`;
  return { url, headers: { "x-stringee-auth": stringeeRestToken(c.api_key_sid ?? "", c.api_key_secret ?? "", rt.now()) } };
}
