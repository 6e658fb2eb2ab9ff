// The one place that knows which channels exist. A new channel: its folder plus one line here.
// Everything the core lists (types, settings forms, rule conditions, filters, texts, icons, base
// URLs, routes) is read from these kinds.
import type { ChannelKind, ChannelSetting } from "./channel.ts";
import type { ChannelType } from "../domain/message.ts";
import { apiChannel } from "./api/index.ts";
import { zaloChannel } from "./zalo/index.ts";
import { facebookChannel } from "./facebook/index.ts";
import { emailChannel } from "./email/index.ts";
import { webChatChannel } from "./web_chat/index.ts";
import { phoneChannel } from "./phone/index.ts";
import { smsChannel } from "./sms/index.ts";

const kinds: readonly ChannelKind[] = [
  apiChannel,
  zaloChannel,
  facebookChannel,
  emailChannel,
  webChatChannel,
  phoneChannel,
  smsChannel,
];

const byType = new Map<ChannelType, ChannelKind>(kinds.map((k) => [k.type, k]));

/** Every kind's operator settings; a name or variable declared twice would shadow another kind's, so it stops the start. */
const settings: (ChannelSetting & { name: string; type: ChannelType })[] = kinds.flatMap((k) =>
  Object.entries(k.settings ?? {}).map(([name, s]) => ({ ...s, name, type: k.type })),
);
for (const [i, s] of settings.entries()) {
  const clash = settings.findIndex((o) => o.name === s.name || o.env === s.env);
  if (clash !== i) throw new Error(`channel setting ${s.name} (${s.env}) of ${s.type} is also declared by ${settings[clash].type}`);
}

export function channelKind(type: ChannelType): ChannelKind {
  const k = byType.get(type);
  if (!k) throw new Error(`channel type ${type} is not installed`);
  return k;
}

export function hasChannelKind(type: string): type is ChannelType {
  return byType.has(type);
}

export function allChannelKinds(): readonly ChannelKind[] {
  return kinds;
}

/** The installed types, in registry order: for validating a type at the edge (z.enum(channelTypes())). */
export function channelTypes(): [ChannelType, ...ChannelType[]] {
  return kinds.map((k) => k.type) as [ChannelType, ...ChannelType[]];
}

/** The settings src/config.ts reads from the environment, with the name rt.urls gives each. */
export function channelSettings(): readonly (ChannelSetting & { name: string; type: ChannelType })[] {
  return settings;
}
