// What a customer's message does to the conversation it would join: append, reopen it, or start a
// new conversation linked to it (interface.md "Conversation lifecycle"). Pure: the store asks.
import { foldVietnamese } from "./contact.ts";

/** A team's reopen window when it has none of its own (and for conversations with no team): 24 h, in minutes. */
export const DEFAULT_REOPEN_WINDOW_MINUTES = 24 * 60;

export type InboundLanding =
  | "append" // not resolved: the message joins it (statusOnInbound decides the status)
  | "keep_resolved" // stored on the resolved conversation, which stays resolved (thanks, auto-replies)
  | "reopen" // resolved less than the window ago
  | "new"; // resolved longer ago: a new conversation, linked by previous_conversation_id

export interface LandingInput {
  status: string;
  resolvedAt: number | null;
  /** The message's own time (the provider's timestamp), not the moment it reached Pano. */
  at: number;
  reopenWindowMinutes: number;
  text: string;
  automatic: boolean;
  hasAttachments: boolean;
}

export function landingOf(i: LandingInput): InboundLanding {
  if (i.status !== "resolved") return "append";
  // Auto-replies and bounces never reopen anything (as before), nor open a new conversation.
  if (i.automatic) return "keep_resolved";
  // "Thanks" after the answer closes nothing new: it stays with the conversation it thanks.
  if (!i.hasAttachments && isShortThanks(i.text)) return "keep_resolved";
  if (i.resolvedAt === null) return "reopen";
  return i.at - i.resolvedAt < i.reopenWindowMinutes * 60_000 ? "reopen" : "new";
}

// Phrases Vietnamese shoppers (and English speakers) send to close a chat, compared without
// diacritics, case, punctuation or emoji. A message of only these words (plus polite particles
// and the shop's name forms) is a thanks; anything with a question or other content is not.
const THANKS_WORDS = new Set([
  "cam", "on", "camon", "cmon", "cm", "thanks", "thank", "thanh", "kiu", "tks", "thx", "ty", "you", "u", "much", "so", "very",
  "ok", "oke", "okie", "okay", "okela", "oki", "uk", "uh", "um", "vang", "da", "de", "duoc", "roi", "r", "nhe", "nha", "nhen", "a", "ah",
  "shop", "sop", "ad", "admin", "ban", "b", "chi", "anh", "em", "c", "e", "nhieu", "lam", "rat", "nhiu", "xin", "great", "good", "tot", "qua", "👍",
]);
// At least one word that actually thanks or agrees; "shop ơi" alone is a call, not a thanks.
const THANKS_CORE = new Set(["cam", "camon", "cmon", "thanks", "thank", "thx", "tks", "ty", "kiu", "ok", "oke", "okie", "okay", "okela", "oki", "vang", "uk", "👍", "great", "good"]);

export function isShortThanks(text: string): boolean {
  const t = foldVietnamese(text).replace(/[\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}\u{FE0F}]/gu, (m) => (m === "👍" ? " 👍 " : " "));
  if (t.length > 60 || t.includes("?")) return false;
  const words = t.replace(/[.,!;:~^()\-_*"'<>=+]+/g, " ").split(/\s+/).filter(Boolean);
  if (!words.length || words.length > 8) return false;
  return words.every((w) => THANKS_WORDS.has(w)) && words.some((w) => THANKS_CORE.has(w));
}
