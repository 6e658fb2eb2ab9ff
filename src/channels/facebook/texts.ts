// The words Pano says about Messenger (window refusals, send failures) live in the message
// catalogue (views/i18n, "facebook." keys); a failure carries both languages so each agent reads
// it in their own.
import { translator, type MessageKey } from "../../../views/i18n/index.ts";

export type FacebookTextKey = Extract<MessageKey, `facebook.${string}`>;

const vi = translator("vi");
const en = translator("en");

export function facebookText(key: FacebookTextKey, vars?: Record<string, string | number>): { en: string; vi: string } {
  return { en: en(key, vars), vi: vi(key, vars) };
}
