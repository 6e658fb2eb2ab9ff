// A manager writes routing rules; customers' messages land in the right team with the right
// priority and labels, and "try this message" explains which rule fires and why.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { addTeam, customerSays } from "./support/agents.ts";

let pano: PanoProcess;
let channelId: string;
let complaintsTeam: string;
let salesTeam: string;

beforeAll(async () => {
  pano = await startPano();
  channelId = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website chat" } })).id;
  complaintsTeam = await addTeam(pano, "Chăm sóc khách hàng", "manual");
  salesTeam = await addTeam(pano, "Bán hàng", "manual");
});
afterAll(async () => {
  await pano.stop();
});

const createRule = (json: unknown) => pano.api("/api/v1/routing-rules", { method: "POST", json });

describe("routing rules", () => {
  test("a rule with an invalid regular expression is refused when saved, naming the field", async () => {
    const r = await createRule({ name: "Mã đơn", conditions: { regex: "(DH[0-9]+" }, actions: { labels: ["don-hang"] } });
    expect(r.status).toBe(422);
    const body = await r.json();
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.field).toBe("conditions.regex");
    expect(body.error.message).toContain("invalid regular expression");
    expect((await pano.json("/api/v1/routing-rules")).data).toHaveLength(0);
  });

  test("a regular expression that repeats a repetition is saved: rules run on a linear-time engine, so no message can freeze Pano", async () => {
    const ids: string[] = [];
    for (const regex of ["(a+)+$", "^(\\w+\\s?)*!", "(?:[0-9]+)*x"]) {
      const r = await createRule({ name: "Lặp lồng", conditions: { regex, applies_to: "any_message" }, actions: { labels: ["lap"] } });
      expect(r.status).toBe(201);
      ids.push((await r.json()).id);
    }
    const tried = await pano.json("/api/v1/routing-rules/try", { method: "POST", json: { text: "a".repeat(60) + "?" + "1".repeat(60) } });
    expect(tried.fired).toEqual([]);
    for (const id of ids) await pano.json(`/api/v1/routing-rules/${id}`, { method: "DELETE" });
    // the usual patterns (an order code, a phone number) are fine
    const ok = await createRule({ name: "Mã đơn", conditions: { regex: "\\bDH\\d{6}\\b|0\\d{9}" }, actions: { labels: ["don-hang"] } });
    expect(ok.status).toBe(201);
    await pano.json(`/api/v1/routing-rules/${(await ok.json()).id}`, { method: "DELETE" });
  });

  test("a rule that does nothing, or names a team that does not exist, is refused", async () => {
    expect((await createRule({ name: "Trống", conditions: {}, actions: {} })).status).toBe(422);
    const r = await createRule({ name: "Sai đội", conditions: {}, actions: { team_id: "999" } });
    expect(r.status).toBe(422);
    expect((await r.json()).error.field).toBe("actions.team_id");
  });

  test("rules fire in order: the first rule to set the team wins, labels add up, and /try explains each check", async () => {
    const refund = await pano.json("/api/v1/routing-rules", {
      method: "POST",
      json: { name: "Hoàn tiền -> CSKH", conditions: { keywords: ["hoàn tiền", "tra lai tien"] }, actions: { team_id: complaintsTeam, priority: "high", labels: ["hoan-tien"] } },
    });
    const orders = await pano.json("/api/v1/routing-rules", {
      method: "POST",
      json: { name: "Mã đơn -> Bán hàng", conditions: { regex: "\\bDH\\d{5}\\b" }, actions: { team_id: salesTeam, labels: ["don-hang"] } },
    });
    const list = (await pano.json("/api/v1/routing-rules")).data;
    expect(list.map((r: any) => [r.name, r.position])).toEqual([["Hoàn tiền -> CSKH", 1], ["Mã đơn -> Bán hàng", 2]]);

    // Without diacritics, as customers type on their phones.
    const tried = await pano.json("/api/v1/routing-rules/try", { method: "POST", json: { text: "shop oi don DH12345 cho minh hoan tien nhe" } });
    expect(tried.fired).toEqual([refund.id, orders.id]);
    expect(tried.decision).toMatchObject({ team_id: complaintsTeam, priority: "high", labels: ["hoan-tien", "don-hang"], set_by: { team_id: refund.id, priority: refund.id } });
    const [first, second] = tried.rules;
    expect(first.checks.find((c: any) => c.condition === "keywords")).toMatchObject({ passed: true, en: 'text contains "hoàn tiền"' });
    expect(second.checks.find((c: any) => c.condition === "regex").en).toContain('at "DH12345"');

    const missed = await pano.json("/api/v1/routing-rules/try", { method: "POST", json: { text: "cho mình hỏi giá áo size M" } });
    expect(missed.fired).toEqual([]);
    const keywordCheck = missed.rules[0].checks.find((c: any) => c.condition === "keywords");
    expect(keywordCheck).toMatchObject({ passed: false });
    expect(keywordCheck.vi).toContain("không có từ nào");

    // Reordered, the order rule is asked first and its team wins.
    await pano.json("/api/v1/routing-rules/reorder", { method: "POST", json: { ids: [orders.id, refund.id] } });
    const again = await pano.json("/api/v1/routing-rules/try", { method: "POST", json: { text: "don DH12345 hoan tien giup minh" } });
    expect(again.fired).toEqual([orders.id, refund.id]);
    expect(again.decision.team_id).toBe(salesTeam);
    await pano.json("/api/v1/routing-rules/reorder", { method: "POST", json: { ids: [refund.id, orders.id] } });
  });

  test("a real message is routed: team, priority and labels set; urgency is never lowered by a rule", async () => {
    const text = "Mình muốn hoàn tiền đơn DH55555, giao sai màu rồi";
    const triage = await pano.json("/api/v1/triage", { method: "POST", json: { text } });
    const conv = await customerSays(pano, channelId, "kh-hoan-tien", text);
    const routed = await eventually(async () => {
      const c = await pano.json(`/api/v1/conversations/${conv}`);
      return c.team_id === complaintsTeam ? c : null;
    }, 10_000, "the conversation to reach the complaints team");
    expect(routed.priority).toBe(triage.urgent ? "urgent" : "high");
    expect(routed.urgent).toBe(triage.urgent);
    expect(routed.intent).toBe(triage.intent);
    expect(routed.labels).toEqual(["don-hang", "hoan-tien"]);
  });

  test("a stop rule ends the walk, a disabled rule is skipped, and deleting a rule renumbers the rest", async () => {
    const vip = await pano.json("/api/v1/routing-rules", {
      method: "POST",
      json: { name: "Khách VIP", position: 1, conditions: { contact_attributes: { tier: "vip" } }, actions: { priority: "urgent", labels: ["vip"], stop_processing: true } },
    });
    const tried = await pano.json("/api/v1/routing-rules/try", { method: "POST", json: { text: "hoan tien cho minh", contact_attributes: { tier: "vip" } } });
    expect(tried.fired).toEqual([vip.id]);
    expect(tried.decision).toMatchObject({ priority: "urgent", labels: ["vip"], team_id: null });

    await pano.json(`/api/v1/routing-rules/${vip.id}`, { method: "PATCH", json: { enabled: false } });
    const skipped = await pano.json("/api/v1/routing-rules/try", { method: "POST", json: { text: "hoan tien cho minh", contact_attributes: { tier: "vip" } } });
    expect(skipped.rules[0]).toMatchObject({ rule_id: vip.id, enabled: false, matched: false });
    expect(skipped.decision.priority).toBe("high");

    expect((await pano.api(`/api/v1/routing-rules/${vip.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await pano.json("/api/v1/routing-rules")).data.map((r: any) => r.position)).toEqual([1, 2]);
    expect((await pano.api(`/api/v1/routing-rules/${vip.id}`)).status).toBe(404);
    // Paged like every list, in the order the rules run.
    const first = await pano.json("/api/v1/routing-rules?limit=1");
    expect(first.data.map((r: any) => r.position)).toEqual([1]);
    const second = await pano.json(`/api/v1/routing-rules?limit=1&cursor=${first.next_cursor}`);
    expect(second.data.map((r: any) => r.position)).toEqual([2]);
    expect(second.next_cursor).toBeNull();
  });

  test("outside business hours the customer gets one automatic reply, sent through the outbox", async () => {
    const rule = await pano.json("/api/v1/routing-rules", {
      method: "POST",
      json: {
        name: "Ngoài giờ",
        conditions: { business_hours: { when: "outside", days: [] }, applies_to: "any_message" },
        actions: { auto_reply: "Cảm ơn anh/chị đã nhắn tin. Shop sẽ trả lời lúc 8 giờ sáng mai ạ." },
      },
    });
    const tried = await pano.json("/api/v1/routing-rules/try", { method: "POST", json: { text: "alo shop", at: "2026-11-25T16:00:00Z" } });
    expect(tried.rules.find((r: any) => r.rule_id === rule.id).checks[0].en).toBe("outside business hours (Asia/Ho_Chi_Minh)");

    const conv = await customerSays(pano, channelId, "kh-dem-khuya", "alo shop ơi còn ai không");
    await customerSays(pano, channelId, "kh-dem-khuya", "shop ơi?");
    const replies = await eventually(async () => {
      const msgs = (await pano.json(`/api/v1/conversations/${conv}/messages`)).data;
      return msgs.filter((m: any) => m.direction === "in").length === 2 && msgs.some((m: any) => m.direction === "out") ? msgs : null;
    }, 10_000, "the automatic reply");
    // The second message's routing has run too: the rule left its audit row for each message,
    // written with any automatic reply it made.
    await eventually(async () => (await pano.json(`/api/v1/audit?action=routing.rule_fired&conversation_id=${conv}`)).data.length === 2, 10_000, "the rule fired on both messages");
    const out = (await pano.json(`/api/v1/conversations/${conv}/messages`)).data.filter((m: any) => m.direction === "out");
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ author: { type: "system" }, text: "Cảm ơn anh/chị đã nhắn tin. Shop sẽ trả lời lúc 8 giờ sáng mai ạ." });
    expect(replies.length).toBeGreaterThanOrEqual(3);
    await pano.api(`/api/v1/routing-rules/${rule.id}`, { method: "DELETE" });
  });
});
