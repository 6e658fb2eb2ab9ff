// Picks the catalogue for a user's language and formats times in their time zone. The core's
// words are in vi.ts/en.ts; each installed channel kind brings its own (kind.texts), merged here.
import { vi, type MessageKey } from "./vi.ts";
import { en } from "./en.ts";
import { callTexts, type CallKey } from "./calls.ts";
import { webhookTexts, type WebhookKey } from "./webhooks.ts";
import { qaTexts, type QaKey } from "./qa.ts";
import { macroTexts, type MacroKey } from "./macros.ts";
import { csatTexts, type CsatKey } from "./csat.ts";
import { znsTexts, type ZnsKey } from "./zns.ts";
import { historyTexts, type HistoryKey } from "./history.ts";
import { allChannelKinds } from "../../src/channels/registry.ts";
import type { ChannelKind } from "../../src/channels/channel.ts";

export type Lang = "vi" | "en";
export type { MessageKey, CallKey, MacroKey, CsatKey, QaKey, WebhookKey, ZnsKey, HistoryKey };
export type Translate = (key: MessageKey | CallKey | MacroKey | CsatKey | QaKey | WebhookKey | ZnsKey | HistoryKey, vars?: Record<string, string | number>) => string;

/**
 * A kind's texts under the keys the core looks up: its name where channels are listed
 * (channel.<type>: inbox, filters, reports, alerts), its settings title
 * (settings.channels.type.<type>), field labels (<type>.field.<key>) and its own sentences
 * (<type>.<key>).
 */
export function channelCatalogue(kind: ChannelKind, lang: Lang): Record<string, string> {
  const t = kind.texts[lang];
  return {
    [`channel.${kind.type}`]: t.name,
    [`settings.channels.type.${kind.type}`]: t.title,
    ...Object.fromEntries(Object.entries(t.fields).map(([k, v]) => [`${kind.type}.field.${k}`, v])),
    ...Object.fromEntries(Object.entries(t.messages ?? {}).map(([k, v]) => [`${kind.type}.${k}`, v])),
  };
}

const withChannels = (core: Record<MessageKey, string>, lang: Lang): Record<string, string> =>
  Object.assign({}, ...allChannelKinds().map((k) => channelCatalogue(k, lang)), callTexts[lang], webhookTexts[lang], qaTexts[lang], macroTexts[lang], csatTexts[lang], znsTexts[lang], historyTexts[lang], core);

const catalogues: Record<Lang, Record<string, string>> = { vi: withChannels(vi, "vi"), en: withChannels(en, "en") };

export function isLang(v: unknown): v is Lang {
  return v === "vi" || v === "en";
}

export function translator(lang: Lang): Translate {
  const cat = catalogues[lang] ?? vi;
  return (key, vars) => {
    const s = cat[key] ?? catalogues.vi[key] ?? key;
    return vars ? s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m)) : s;
  };
}

/** Date and time as people in Vietnam write it (dd/mm/yyyy, 24 h) or in English style. */
export function formatDateTime(ms: number, lang: Lang, timeZone: string): string {
  return new Intl.DateTimeFormat(lang === "vi" ? "vi-VN" : "en-GB", { timeZone, dateStyle: "short", timeStyle: "short" }).format(ms);
}

/** "5 phút", "2 giờ": how long a customer has waited, coarse on purpose. */
export function formatWait(fromMs: number, nowMs: number, t: Translate): string {
  const min = Math.floor((nowMs - fromMs) / 60_000);
  if (min < 1) return t("time.just_now");
  if (min < 60) return t("time.minutes", { n: min });
  if (min < 48 * 60) return t("time.hours", { n: Math.floor(min / 60) });
  return t("time.days", { n: Math.floor(min / 1440) });
}
