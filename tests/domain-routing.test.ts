// Routing rules as a table: each condition kind on its own (passing and failing), keywords
// without case or Vietnamese diacritics, regexes, every condition of a rule required together,
// and how decide() walks rules (position, disabled rules, first rule wins a single-valued action,
// labels add up, stop_processing). Only the public functions are used: the regex engine behind
// them is an implementation detail.
import { describe, expect, test } from "bun:test";
import { decide, evaluateRule, isInsideBusinessHours, matchedKeyword, ruleProblem, type MessageFacts, type Rule, type RuleConditions } from "../src/domain/routing.ts";

// Monday 30 November 2026, 09:00 in Hồ Chí Minh City (UTC+7).
const MON_9 = Date.UTC(2026, 10, 30, 2, 0);
const H = 3600_000;

const facts = (o: Partial<MessageFacts> = {}): MessageFacts => ({
  text: "Chào shop, đơn hàng của mình giao chưa ạ?", channelId: 1, channelType: "zalo", intent: "support_request", urgent: false,
  contactAttributes: { tier: "vip", orders: 5, wholesale: false }, newContact: false, firstMessage: true, at: MON_9, ...o,
});
let nextId = 1;
const rule = (conditions: RuleConditions, o: Partial<Rule> = {}): Rule => ({
  id: nextId++, name: `rule ${nextId}`, position: nextId, enabled: true, conditions, actions: { labels: ["x"] }, ...o,
});
const matches = (c: RuleConditions, f: MessageFacts) => evaluateRule(rule(c), f).every((x) => x.passed);

interface Row { says: string; when: RuleConditions; facts: Partial<MessageFacts>; matches: boolean }

const rows: Row[] = [
  // scope
  { says: "no conditions: matches a first message", when: {}, facts: {}, matches: true },
  { says: "default scope is the first message only", when: {}, facts: { firstMessage: false }, matches: false },
  { says: "applies_to any_message: a later message too", when: { applies_to: "any_message" }, facts: { firstMessage: false }, matches: true },
  { says: "applies_to first_message, said outright", when: { applies_to: "first_message" }, facts: { firstMessage: false }, matches: false },
  // channel
  { says: "channel_ids: the channel is listed", when: { channel_ids: [3, 1] }, facts: {}, matches: true },
  { says: "channel_ids: the channel is not listed", when: { channel_ids: [3] }, facts: {}, matches: false },
  { says: "channel_ids: an empty list is no condition", when: { channel_ids: [] }, facts: {}, matches: true },
  { says: "channel_types: facebook or email, message on facebook", when: { channel_types: ["facebook", "email"] }, facts: { channelType: "facebook" }, matches: true },
  { says: "channel_types: facebook only, message on zalo", when: { channel_types: ["facebook"] }, facts: {}, matches: false },
  // intent and urgency
  { says: "intents: complaint wanted, complaint found", when: { intents: ["complaint"] }, facts: { intent: "complaint" }, matches: true },
  { says: "intents: complaint wanted, product question found", when: { intents: ["complaint"] }, facts: { intent: "product_question" }, matches: false },
  { says: "intents: an unclassified message matches no intent", when: { intents: ["complaint", "other"] }, facts: { intent: null }, matches: false },
  { says: "urgent: true wanted, urgent", when: { urgent: true }, facts: { urgent: true }, matches: true },
  { says: "urgent: true wanted, not urgent", when: { urgent: true }, facts: { urgent: false }, matches: false },
  { says: "urgent: false wanted, not urgent", when: { urgent: false }, facts: { urgent: false }, matches: true },
  // keywords: any of them, without case or diacritics, on either side
  { says: "keywords: exact phrase", when: { keywords: ["giao hàng"] }, facts: { text: "Khi nào giao hàng vậy shop" }, matches: true },
  { says: "keywords: the message typed without diacritics", when: { keywords: ["giao hàng"] }, facts: { text: "khi nao GIAO HANG vay" }, matches: true },
  { says: "keywords: the keyword typed without diacritics", when: { keywords: ["doi tra"] }, facts: { text: "Mình muốn ĐỔI TRẢ áo" }, matches: true },
  { says: "keywords: đ and d are the same letter", when: { keywords: ["đơn"] }, facts: { text: "DON hang cua minh" }, matches: true },
  { says: "keywords: NFD text matches an NFC keyword", when: { keywords: ["hoàn tiền"] }, facts: { text: "cho mình hoàn tiền".normalize("NFD") }, matches: true },
  { says: "keywords: any one of several is enough", when: { keywords: ["hủy", "hoàn tiền", "đổi trả"] }, facts: { text: "shop hoàn tiền giúp" }, matches: true },
  { says: "keywords: none present", when: { keywords: ["hủy", "hoàn tiền"] }, facts: { text: "áo đẹp quá" }, matches: false },
  { says: "keywords: a blank keyword matches nothing", when: { keywords: ["   "] }, facts: {}, matches: false },
  { says: "keywords: a keyword is a substring (ship in shipper)", when: { keywords: ["ship"] }, facts: { text: "shipper tới chưa" }, matches: true },
  // regex: case-insensitive, Unicode-aware, not diacritic-blind
  { says: "regex: matches", when: { regex: "đơn\\s*#?\\d{4,}" }, facts: { text: "Đơn #123456 của mình" }, matches: true },
  { says: "regex: case-insensitive, Vietnamese capitals included", when: { regex: "đổi trả" }, facts: { text: "ĐỔI TRẢ" }, matches: true },
  { says: "regex: does not fold diacritics (unlike keywords)", when: { regex: "giao hàng" }, facts: { text: "giao hang" }, matches: false },
  { says: "regex: alternation and anchors", when: { regex: "^(hủy|huỷ) đơn" }, facts: { text: "Huỷ đơn giúp em" }, matches: true },
  { says: "regex: anchored pattern that does not match", when: { regex: "^hủy" }, facts: { text: "em muốn hủy" }, matches: false },
  { says: "regex: a phone number", when: { regex: "\\b0\\d{9}\\b" }, facts: { text: "sđt em 0912345678 nha" }, matches: true },
  { says: "regex: \\s takes a no-break space pasted from a phone, as JavaScript's does", when: { regex: "đơn\\s+hàng" }, facts: { text: "ĐƠN\u00a0HÀNG" }, matches: true },
  { says: "regex: \\u escapes as JavaScript writes them", when: { regex: "\\u0111\\u01a1n" }, facts: { text: "ĐƠN" }, matches: true },
  // contact attributes: equality, compared as text
  { says: "contact_attributes: tier vip", when: { contact_attributes: { tier: "vip" } }, facts: {}, matches: true },
  { says: "contact_attributes: tier gold wanted", when: { contact_attributes: { tier: "gold" } }, facts: {}, matches: false },
  { says: "contact_attributes: a number equals its text", when: { contact_attributes: { orders: "5" } }, facts: {}, matches: true },
  { says: "contact_attributes: a boolean equals its text", when: { contact_attributes: { wholesale: false } }, facts: {}, matches: true },
  { says: "contact_attributes: an unset attribute never matches", when: { contact_attributes: { city: "Huế" } }, facts: {}, matches: false },
  { says: "contact_attributes: a null attribute never matches", when: { contact_attributes: { city: "null" } }, facts: { contactAttributes: { city: null } }, matches: false },
  { says: "contact_attributes: every listed attribute must hold", when: { contact_attributes: { tier: "vip", orders: 6 } }, facts: {}, matches: false },
  // new contact
  { says: "new_contact true: a first-time customer", when: { new_contact: true }, facts: { newContact: true }, matches: true },
  { says: "new_contact true: a returning customer", when: { new_contact: true }, facts: { newContact: false }, matches: false },
  { says: "new_contact false: a returning customer", when: { new_contact: false }, facts: { newContact: false }, matches: true },
  // business hours (default Mon-Sat 08:00-17:30, Asia/Ho_Chi_Minh)
  { says: "business_hours inside: Monday 09:00", when: { business_hours: { when: "inside" } }, facts: {}, matches: true },
  { says: "business_hours outside: Monday 09:00", when: { business_hours: { when: "outside" } }, facts: {}, matches: false },
  { says: "business_hours outside: Monday 17:30 is closed", when: { business_hours: { when: "outside" } }, facts: { at: MON_9 + 8.5 * H }, matches: true },
  { says: "business_hours outside: Sunday is closed by default", when: { business_hours: { when: "outside" } }, facts: { at: MON_9 + 6 * 24 * H }, matches: true },
  { says: "business_hours inside: Saturday is open by default", when: { business_hours: { when: "inside" } }, facts: { at: MON_9 + 5 * 24 * H }, matches: true },
  { says: "business_hours: the time zone decides (09:00 in Hà Nội is 03:00 in Paris)", when: { business_hours: { when: "inside", timezone: "Europe/Paris" } }, facts: {}, matches: false },
  // all conditions together
  { says: "all conditions hold: zalo, complaint, keyword, vip", when: { channel_types: ["zalo"], intents: ["support_request"], keywords: ["giao"], contact_attributes: { tier: "vip" } }, facts: {}, matches: true },
  { says: "one condition of several fails: the rule does not match", when: { channel_types: ["zalo"], intents: ["complaint"], keywords: ["giao"] }, facts: {}, matches: false },
];

describe("evaluateRule: each condition", () => {
  for (const row of rows) {
    test(`${row.says} -> ${row.matches ? "matches" : "no match"}`, () => {
      expect(matches(row.when, facts(row.facts))).toBe(row.matches);
    });
  }
});

describe("evaluateRule: the explanation", () => {
  test("every condition gets a check in order, each with English and Vietnamese reasons", () => {
    const checks = evaluateRule(rule({ channel_types: ["zalo"], intents: ["complaint"], keywords: ["giao hàng"] }), facts({ text: "giao hang cham qua" }));
    expect(checks.map((c) => [c.condition, c.passed])).toEqual([["applies_to", true], ["channel_types", true], ["intents", false], ["keywords", true]]);
    for (const c of checks) {
      expect(c.en.length).toBeGreaterThan(0);
      expect(c.vi.length).toBeGreaterThan(0);
    }
    expect(checks[3].en).toBe('text contains "giao hàng"');
  });
  test("quick mode stops at the first failed check", () => {
    const checks = evaluateRule(rule({ channel_types: ["facebook"], keywords: ["giao"] }), facts(), true);
    expect(checks.map((c) => [c.condition, c.passed])).toEqual([["applies_to", true], ["channel_types", false]]);
  });
  test("each contact attribute is its own check", () => {
    expect(evaluateRule(rule({ contact_attributes: { tier: "vip", orders: 5 } }), facts()).map((c) => c.condition)).toEqual(["applies_to", "contact_attributes.tier", "contact_attributes.orders"]);
  });
});

describe("matchedKeyword: which keyword the explanation names", () => {
  const cases: [string[], string, string | null][] = [
    [["hủy", "hoàn tiền"], "shop HOAN TIEN giúp", "hoàn tiền"],
    [["hoàn", "hoàn tiền"], "hoàn tiền", "hoàn"],
    [["áo"], "quần", null],
    [[], "bất kỳ", null],
  ];
  for (const [keywords, text, hit] of cases) test(`${JSON.stringify(keywords)} in "${text}" -> ${hit}`, () => expect(matchedKeyword(keywords, text)).toBe(hit));
});

describe("isInsideBusinessHours", () => {
  const cases: [string, number, Parameters<typeof isInsideBusinessHours>[1], boolean][] = [
    ["Monday 07:59 is before opening", MON_9 - 61 * 60_000, { when: "inside" }, false],
    ["Monday 08:00 is open", MON_9 - H, { when: "inside" }, true],
    ["Monday 17:29 is open", MON_9 + 8 * H + 29 * 60_000, { when: "inside" }, true],
    ["custom days: Monday not among Tue-Fri", MON_9, { when: "inside", days: [2, 3, 4, 5] }, false],
    ["overnight 22:00-06:00: Monday 23:00 is inside", MON_9 + 14 * H, { when: "inside", open: "22:00", close: "06:00" }, true],
    ["overnight 22:00-06:00: Tuesday 02:00 belongs to Monday's night", MON_9 + 17 * H, { when: "inside", open: "22:00", close: "06:00" }, true],
    ["overnight Mon-Fri: Monday 02:00 belongs to Sunday's night, closed", MON_9 - 7 * H, { when: "inside", open: "22:00", close: "06:00", days: [1, 2, 3, 4, 5] }, false],
    ["overnight 22:00-06:00: Monday 09:00 is outside", MON_9, { when: "inside", open: "22:00", close: "06:00" }, false],
  ];
  for (const [name, at, h, inside] of cases) test(name, () => expect(isInsideBusinessHours(at, h)).toBe(inside));
});

describe("decide: walking the rules", () => {
  const r = (id: number, position: number, actions: Rule["actions"], conditions: RuleConditions = {}, enabled = true): Rule =>
    ({ id, name: `r${id}`, position, enabled, conditions, actions });

  test("rules are walked by position, then id; every match fires; the first to set a single-valued action wins", () => {
    const rules = [
      r(30, 2, { team_id: 9, priority: "low", labels: ["sau"] }),
      r(10, 1, { team_id: 7, labels: ["trước", "chung"] }),
      r(20, 1, { priority: "urgent", assignee_id: 4, auto_reply: "Dạ shop nhận được rồi ạ", labels: ["chung"] }),
    ];
    const { decision, verdicts } = decide(rules, facts());
    expect(verdicts.map((v) => v.rule_id)).toEqual([10, 20, 30]);
    expect(decision).toEqual({
      teamId: 7, priority: "urgent", assigneeId: 4, autoReply: "Dạ shop nhận được rồi ạ",
      labels: ["trước", "chung", "sau"],
      setBy: { teamId: 10, priority: 20, assigneeId: 20, autoReply: 20 },
      fired: [10, 20, 30],
    });
  });

  test("a rule that does not match sets nothing, and a later one still can", () => {
    const { decision } = decide([r(1, 1, { team_id: 1 }, { intents: ["complaint"] }), r(2, 2, { team_id: 2 })], facts());
    expect(decision).toMatchObject({ teamId: 2, setBy: { teamId: 2 }, fired: [2] });
  });

  test("a disabled rule is reported, never evaluated, never fires", () => {
    const { decision, verdicts } = decide([r(1, 1, { team_id: 1 }, {}, false), r(2, 2, { labels: ["b"] })], facts());
    expect(verdicts[0]).toEqual({ rule_id: 1, name: "r1", enabled: false, matched: false, checks: [] });
    expect(decision).toEqual({ labels: ["b"], setBy: {}, fired: [2] });
  });

  test("stop_processing on a matching rule ends the walk; later rules are reported unevaluated", () => {
    const { decision, verdicts } = decide([r(1, 1, { labels: ["a"], stop_processing: true }), r(2, 2, { team_id: 2, labels: ["b"] })], facts());
    expect(decision).toEqual({ labels: ["a"], setBy: {}, fired: [1] });
    expect(verdicts[1]).toEqual({ rule_id: 2, name: "r2", enabled: true, matched: false, checks: [] });
  });

  test("stop_processing on a rule that does not match stops nothing", () => {
    const { decision } = decide([r(1, 1, { stop_processing: true }, { urgent: true }), r(2, 2, { labels: ["b"] })], facts());
    expect(decision.fired).toEqual([2]);
  });

  test("no rules: an empty decision", () => {
    expect(decide([], facts())).toEqual({ decision: { labels: [], setBy: {}, fired: [] }, verdicts: [] });
  });

  test("the verdict of a matched rule carries its checks", () => {
    const { verdicts } = decide([r(1, 1, { labels: ["a"] }, { keywords: ["giao"] })], facts());
    expect(verdicts[0]).toMatchObject({ matched: true, checks: [{ condition: "applies_to", passed: true }, { condition: "keywords", passed: true }] });
  });
});

describe("ruleProblem: refused at save time, so message time never throws", () => {
  const cases: [string, RuleConditions, string | null][] = [
    ["a plain rule is fine", { keywords: ["giao"], regex: "đơn\\s*\\d+" }, null],
    ["an unclosed group", { regex: "(hủy" }, "conditions.regex"],
    ["an unclosed class", { regex: "[a-" }, "conditions.regex"],
    ["a back-reference, which the linear-time engine does not have", { regex: "(a)\\1" }, "conditions.regex"],
    ["a lookahead", { regex: "DH(?=\\d)" }, "conditions.regex"],
    ["a nested repetition is fine on a linear-time engine", { regex: "(a|a)*$" }, null],
    ["opening hours not HH:MM", { business_hours: { when: "inside", open: "8:00" } }, "conditions.business_hours.open"],
    ["closing hour 24:00", { business_hours: { when: "inside", close: "24:00" } }, "conditions.business_hours.close"],
    ["an unknown time zone", { business_hours: { when: "inside", timezone: "Asia/Sai_Gon" } }, "conditions.business_hours.timezone"],
    ["valid hours and zone", { business_hours: { when: "outside", open: "07:30", close: "21:00", timezone: "Asia/Bangkok" } }, null],
  ];
  for (const [name, c, field] of cases) {
    test(`${name} -> ${field ?? "fine"}`, () => {
      const p = ruleProblem(c);
      if (field === null) expect(p).toBeNull();
      else {
        expect(p?.field).toBe(field);
        expect(p!.en.length).toBeGreaterThan(0);
        expect(p!.vi.length).toBeGreaterThan(0);
      }
    });
  }
});
