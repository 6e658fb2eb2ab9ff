// The one place that knows which channels exist. A new channel: its folder plus one line here.
import type { ChannelKind } from "./channel.ts";
import type { ChannelType } from "../domain/message.ts";
import { apiChannel } from "./api/index.ts";
import { zaloChannel } from "./zalo/index.ts";
import { facebookChannel } from "./facebook/index.ts";
import { emailChannel } from "./email/index.ts";

const kinds: ChannelKind[] = [
  apiChannel,
  zaloChannel,
  facebookChannel,
  emailChannel,
];

const byType = new Map<ChannelType, ChannelKind>(kinds.map((k) => [k.type, k]));

export function channelKind(type: ChannelType): ChannelKind {
  const k = byType.get(type);
  if (!k) throw new Error(`channel type ${type} is not installed`);
  return k;
}

export function hasChannelKind(type: string): type is ChannelType {
  return byType.has(type as ChannelType);
}

export function allChannelKinds(): ChannelKind[] {
  return kinds;
}
