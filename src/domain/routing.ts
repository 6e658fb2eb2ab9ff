// Routing rules: ordered conditions -> actions. Pure: the pipeline hands in the facts about one
// inbound message, gets back which rules matched (each condition with a reason in vi and en)
// and the combined actions. Every matching rule fires in order; for a single-valued action
// (team, priority, assignee, auto-reply) the first rule that sets it wins, labels add up, and a
// rule with stop_processing ends the walk.
import { foldVietnamese } from "./contact.ts";
import type { Intent, Priority } from "./conversation.ts";
import { compileRuleRegex, regexProblem } from "./rule-regex.ts";

export const DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh";
/** No automatic SMS or ZNS wakes a customer at night (Vietnam time). */
export const DEFAULT_QUIET_HOURS = { start: "21:00", end: "08:00", timezone: DEFAULT_TIMEZONE } as const;

export interface BusinessHours {
  when: "inside" | "outside";
  timezone?: string;
  /** ISO weekdays, 1 = Monday .. 7 = Sunday. Default Monday to Saturday (most Vietnamese shops open Saturdays). */
  days?: number[];
  open?: string; // "HH:MM", default 08:00
  close?: string; // "HH:MM", default 17:30; before open means the window runs overnight
}

export interface RuleConditions {
  channel_ids?: number[];
  channel_types?: string[];
  intents?: Intent[];
  /** Any of the shop's own categories suggested for the message (compared without case or diacritics). */
  categories?: string[];
  urgent?: boolean;
  /** Any of these words or phrases, compared without case or Vietnamese diacritics. */
  keywords?: string[];
  /** A regular expression, case-insensitive, in RE2 syntax (JavaScript's without back-references or lookaround); checked at save time. */
  regex?: string;
  /** Equality on the contact's attributes ({"tier": "vip"}). */
  contact_attributes?: Record<string, string | number | boolean>;
  /** true: only a customer Pano has never seen before; false: only known customers. */
  new_contact?: boolean;
  business_hours?: BusinessHours;
  /** Default first_message: the rule looks only at a conversation's first customer message. */
  applies_to?: "first_message" | "any_message";
  /** The message carries each of these fields (an order_code an integration sent with it). */
  message_fields?: string[];
}

export interface QuietHours {
  start: string; // "HH:MM"
  end: string; // "HH:MM"; before start means the window runs overnight
  timezone?: string;
}

/** A message a rule sends the customer through another channel: a ZNS template, or an SMS. */
export interface RuleSend {
  /** Default: the first active channel of the kind (zalo for send_zns, sms for send_sms). */
  channel_id?: number;
}
export interface ZnsSend extends RuleSend {
  template_id: string;
  /** Params; any left out are filled from the customer and the message's fields ({order_code}). */
  template_data?: Record<string, string>;
}
export interface SmsSend extends RuleSend {
  text: string;
}

export interface RuleActions {
  team_id?: number;
  priority?: Priority;
  labels?: string[];
  assignee_id?: number;
  /** Text sent as an automatic reply (never to automatic mail; flagged automatic on every channel). */
  auto_reply?: string;
  send_zns?: ZnsSend;
  send_sms?: SmsSend;
  /**
   * Default "respect": an SMS or ZNS due between 21:00 and 08:00 Vietnam time waits until 08:00;
   * "ignore" sends at once; or the rule's own window (a shop that closes at 22:00).
   */
  quiet_hours?: "respect" | "ignore" | QuietHours;
  stop_processing?: boolean;
}

export interface Rule {
  id: number;
  name: string;
  position: number;
  enabled: boolean;
  conditions: RuleConditions;
  actions: RuleActions;
}

export interface MessageFacts {
  text: string;
  channelId: number;
  channelType: string;
  intent: Intent | null;
  /** The shop's own categories suggested for this message (pipeline/categories.ts). */
  categories?: string[];
  urgent: boolean;
  contactAttributes: Record<string, unknown>;
  newContact: boolean;
  firstMessage: boolean;
  at: number;
  /** Fields the message carries besides its text (an integration's order_code). */
  fields?: Record<string, string>;
}

export interface Check { condition: string; passed: boolean; en: string; vi: string }
export interface Verdict { rule_id: number; name: string; enabled: boolean; matched: boolean; checks: Check[] }
export interface Decision {
  teamId?: number;
  priority?: Priority;
  labels: string[];
  assigneeId?: number;
  autoReply?: string;
  /** Messages to send the customer through other channels, each with the rule that asked and whether quiet hours hold it. */
  sends?: { kind: "zns" | "sms"; send: ZnsSend | SmsSend; ruleId: number; quiet: QuietHours | null }[];
  /** Which rule set each action, for the audit trail and the try endpoint. */
  setBy: Record<string, number>;
  fired: number[];
}

const check = (condition: string, passed: boolean, en: string, vi: string): Check => ({ condition, passed, en, vi });
const list = (xs: readonly unknown[]) => xs.map(String).join(", ");

/** With `quick`, stops at the first failed check: the pipeline needs the verdict, not the story. */
export function evaluateRule(rule: Rule, f: MessageFacts, quick = false): Check[] {
  const c = rule.conditions;
  const out: Check[] = [];
  const failed = (x: Check) => (out.push(x), quick && !x.passed);
  const scope = c.applies_to ?? "first_message";
  if (scope === "first_message")
    if (failed(check("applies_to", f.firstMessage, f.firstMessage ? "first message of the conversation" : "not the first message (rule applies to first messages only)", f.firstMessage ? "tin nhắn đầu tiên của hội thoại" : "không phải tin nhắn đầu tiên (quy tắc chỉ áp dụng cho tin đầu)"))) return out;
  if (c.channel_ids?.length) {
    const ok = c.channel_ids.includes(f.channelId);
    if (failed(check("channel_ids", ok, `channel ${f.channelId} ${ok ? "is" : "is not"} in [${list(c.channel_ids)}]`, `kênh ${f.channelId} ${ok ? "thuộc" : "không thuộc"} [${list(c.channel_ids)}]`))) return out;
  }
  if (c.channel_types?.length) {
    const ok = c.channel_types.includes(f.channelType);
    if (failed(check("channel_types", ok, `channel type ${f.channelType} ${ok ? "is" : "is not"} in [${list(c.channel_types)}]`, `loại kênh ${f.channelType} ${ok ? "thuộc" : "không thuộc"} [${list(c.channel_types)}]`))) return out;
  }
  if (c.intents?.length) {
    const ok = f.intent !== null && c.intents.includes(f.intent);
    if (failed(check("intents", ok, `intent ${f.intent ?? "unknown"} ${ok ? "is" : "is not"} in [${list(c.intents)}]`, `ý định ${f.intent ?? "chưa rõ"} ${ok ? "thuộc" : "không thuộc"} [${list(c.intents)}]`))) return out;
  }
  if (c.categories?.length) {
    const wanted = new Set(c.categories.map((x) => foldVietnamese(x).trim()));
    const hit = (f.categories ?? []).find((x) => wanted.has(foldVietnamese(x).trim()));
    const have = f.categories?.length ? list(f.categories) : "none";
    if (failed(check("categories", hit !== undefined, hit !== undefined ? `suggested category "${hit}"` : `suggested categories (${have}) are none of [${list(c.categories)}]`, hit !== undefined ? `được gợi ý nhóm "${hit}"` : `nhóm được gợi ý (${have === "none" ? "không có" : have}) không thuộc [${list(c.categories)}]`))) return out;
  }
  if (c.urgent !== undefined) {
    const ok = c.urgent === f.urgent;
    if (failed(check("urgent", ok, `message is ${f.urgent ? "urgent" : "not urgent"}`, `tin nhắn ${f.urgent ? "khẩn cấp" : "không khẩn cấp"}`))) return out;
  }
  if (c.keywords?.length) {
    const hit = matchedKeyword(c.keywords, f.text);
    if (failed(check("keywords", hit !== null, hit !== null ? `text contains "${hit}"` : `text contains none of [${list(c.keywords)}]`, hit !== null ? `nội dung có "${hit}"` : `nội dung không có từ nào trong [${list(c.keywords)}]`))) return out;
  }
  if (c.regex) {
    const re = compileRuleRegex(c.regex);
    // A rule saved before its pattern was refused (lookaround from the old engine) matches nothing.
    if (!("firstMatch" in re)) {
      if (failed(check("regex", false, `/${c.regex}/ cannot be used: ${re.en}; edit the rule`, `không dùng được /${c.regex}/: ${re.vi}; hãy sửa quy tắc`))) return out;
    } else {
      const m = re.firstMatch(f.text);
      if (failed(check("regex", m !== null, m !== null ? `text matches /${c.regex}/ at "${m.slice(0, 60)}"` : `text does not match /${c.regex}/`, m !== null ? `nội dung khớp /${c.regex}/ tại "${m.slice(0, 60)}"` : `nội dung không khớp /${c.regex}/`))) return out;
    }
  }
  for (const field of c.message_fields ?? []) {
    const have = f.fields?.[field];
    const ok = have !== undefined && have !== "";
    if (failed(check(`message_fields.${field}`, ok, ok ? `message carries ${field} = ${JSON.stringify(have)}` : `message carries no ${field}`, ok ? `tin nhắn có ${field} = ${JSON.stringify(have)}` : `tin nhắn không có ${field}`))) return out;
  }
  for (const [k, want] of Object.entries(c.contact_attributes ?? {})) {
    const have = f.contactAttributes[k];
    const ok = have !== undefined && have !== null && String(have) === String(want);
    if (failed(check(`contact_attributes.${k}`, ok, `contact ${k} = ${have === undefined ? "(unset)" : JSON.stringify(have)}, wanted ${JSON.stringify(want)}`, `khách hàng ${k} = ${have === undefined ? "(chưa có)" : JSON.stringify(have)}, cần ${JSON.stringify(want)}`))) return out;
  }
  if (c.new_contact !== undefined) {
    const ok = c.new_contact === f.newContact;
    if (failed(check("new_contact", ok, f.newContact ? "a new customer" : "a returning customer", f.newContact ? "khách hàng mới" : "khách hàng cũ"))) return out;
  }
  if (c.business_hours) {
    const inside = isInsideBusinessHours(f.at, c.business_hours);
    const ok = (c.business_hours.when === "inside") === inside;
    const tz = c.business_hours.timezone ?? DEFAULT_TIMEZONE;
    if (failed(check("business_hours", ok, `${inside ? "inside" : "outside"} business hours (${tz})`, `${inside ? "trong" : "ngoài"} giờ làm việc (${tz})`))) return out;
  }
  return out;
}

/** Walks the enabled rules in position order. */
export function decide(rules: Rule[], f: MessageFacts, quick = false): { decision: Decision; verdicts: Verdict[] } {
  const decision: Decision = { labels: [], setBy: {}, fired: [] };
  const verdicts: Verdict[] = [];
  let stopped = false;
  for (const rule of [...rules].sort((a, b) => a.position - b.position || a.id - b.id)) {
    if (!rule.enabled || stopped) {
      verdicts.push({ rule_id: rule.id, name: rule.name, enabled: rule.enabled, matched: false, checks: [] });
      continue;
    }
    const checks = evaluateRule(rule, f, quick);
    const matched = checks.every((c) => c.passed);
    verdicts.push({ rule_id: rule.id, name: rule.name, enabled: true, matched, checks });
    if (!matched) continue;
    decision.fired.push(rule.id);
    const a = rule.actions;
    const first = <K extends "teamId" | "priority" | "assigneeId" | "autoReply">(key: K, v: Decision[K] | undefined) => {
      if (v === undefined || decision[key] !== undefined) return;
      decision[key] = v;
      decision.setBy[key] = rule.id;
    };
    first("teamId", a.team_id);
    first("priority", a.priority);
    first("assigneeId", a.assignee_id);
    first("autoReply", a.auto_reply);
    for (const l of a.labels ?? []) if (!decision.labels.includes(l)) decision.labels.push(l);
    const quiet = a.quiet_hours === "ignore" ? null : typeof a.quiet_hours === "object" ? a.quiet_hours : DEFAULT_QUIET_HOURS;
    if (a.send_zns) (decision.sends ??= []).push({ kind: "zns", send: a.send_zns, ruleId: rule.id, quiet });
    if (a.send_sms) (decision.sends ??= []).push({ kind: "sms", send: a.send_sms, ruleId: rule.id, quiet });
    if (a.stop_processing) stopped = true;
  }
  return { decision, verdicts };
}

// Every keyword rule looks at the same message: fold it once, and each keyword once.
let lastText = "";
let lastFolded = "";
const foldedKeywords = new Map<string, string>();
const folded = (text: string) => (text === lastText ? lastFolded : ((lastText = text), (lastFolded = foldVietnamese(text))));

export function matchedKeyword(keywords: string[], text: string): string | null {
  const hay = folded(text);
  for (const k of keywords) {
    let needle = foldedKeywords.get(k);
    if (needle === undefined) {
      if (foldedKeywords.size > 5000) foldedKeywords.clear();
      foldedKeywords.set(k, (needle = foldVietnamese(k).trim()));
    }
    if (needle && hay.includes(needle)) return k;
  }
  return null;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const minutes = (hhmm: string) => {
  const m = HHMM.exec(hhmm)!;
  return Number(m[1]) * 60 + Number(m[2]);
};

const formatters = new Map<string, Intl.DateTimeFormat>();
function localTime(at: number, tz: string): { weekday: number; minute: number } {
  let f = formatters.get(tz);
  if (!f) formatters.set(tz, (f = new Intl.DateTimeFormat("en-US", { timeZone: tz, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })));
  const parts = Object.fromEntries(f.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday) + 1;
  return { weekday, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

export function isInsideBusinessHours(at: number, h: BusinessHours): boolean {
  const { weekday, minute } = localTime(at, h.timezone ?? DEFAULT_TIMEZONE);
  const days = h.days ?? [1, 2, 3, 4, 5, 6];
  const open = minutes(h.open ?? "08:00");
  const close = minutes(h.close ?? "17:30");
  if (open <= close) return days.includes(weekday) && minute >= open && minute < close;
  // Overnight window: the part after midnight belongs to the previous day's opening.
  if (minute >= open) return days.includes(weekday);
  return minute < close && days.includes(weekday === 1 ? 7 : weekday - 1);
}

/** The problems a rule would cause at message time, found at save time instead. null when fine. */
export function ruleProblem(c: RuleConditions): { field: string; en: string; vi: string } | null {
  if (c.regex !== undefined) {
    const problem = regexProblem(c.regex);
    if (problem) return { field: "conditions.regex", ...problem };
  }
  const h = c.business_hours;
  if (h) {
    for (const k of ["open", "close"] as const) {
      if (h[k] !== undefined && !HHMM.test(h[k]!)) return { field: `conditions.business_hours.${k}`, en: "must be HH:MM (24-hour)", vi: "phải có dạng HH:MM (24 giờ)" };
    }
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: h.timezone ?? DEFAULT_TIMEZONE });
    } catch {
      return { field: "conditions.business_hours.timezone", en: `unknown time zone "${h.timezone}"`, vi: `múi giờ "${h.timezone}" không tồn tại` };
    }
  }
  return null;
}
