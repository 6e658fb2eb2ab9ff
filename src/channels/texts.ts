// How a channel says one of its own sentences (ChannelTexts.messages) in both languages: failures
// carry both so each agent reads theirs, and a kind's own pages pick the reader's.
import type { ChannelTexts } from "./channel.ts";

type Vars = Record<string, string | number>;

const fill = (s: string, vars?: Vars) => (vars ? s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m)) : s);

/** `say(key, vars)` -> { vi, en }; `say.in(lang)(key, vars)` -> one language. */
export function speaker<K extends string>(texts: { vi: ChannelTexts & { messages: Record<K, string> }; en: ChannelTexts }) {
  const one = (lang: "vi" | "en") => (key: K, vars?: Vars): string => fill(texts[lang].messages?.[key] ?? texts.vi.messages[key] ?? key, vars);
  const vi = one("vi");
  const en = one("en");
  return Object.assign((key: K, vars?: Vars) => ({ vi: vi(key, vars), en: en(key, vars) }), { in: one });
}
