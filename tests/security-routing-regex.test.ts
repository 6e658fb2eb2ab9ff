// An admin saves a routing rule whose regular expression looks harmless, "(a|a)*$" or
// "\s*\s*\s*\s*x"; an attacker then sends a long message made to trip it. Every inbound message
// meets every rule, so on a backtracking engine that one message would freeze Pano for hours.
// Rules run on a linear-time engine instead: the message is routed like any other. Syntax that
// only a backtracking engine has (back-references, lookaround) is refused when the rule is saved.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { startPano, eventually, ADMIN, BUN, ROOT, type PanoProcess } from "./support/pano.ts";
import { customerSays } from "./support/agents.ts";
import { signIn, fieldError } from "./settings-session.ts";

const HOSTILE = ["(a|a)*$", "(a|aa)+$", "\\s*\\s*\\s*\\s*x"];
// Runs of "a" each ended by "!": a backtracking engine retries every way to split each run.
const aRuns = ("a".repeat(40) + "!").repeat(244);
const spaces = " ".repeat(10_000);

let pano: PanoProcess;
let channelId: string;

beforeAll(async () => {
  pano = await startPano();
  channelId = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website chat" } })).id;
});
afterAll(async () => {
  await pano?.kill(); // a Pano stuck in a regex would never answer SIGTERM
});

describe("a regular expression made to backtrack", () => {
  test("the domain matcher returns on a 10,000-character hostile message for every such pattern", async () => {
    // In a child process: a backtracking matcher would hold this thread for hours, and the child
    // can be killed when the generous deadline (far above what a linear engine needs) passes.
    const script = `
      import { evaluateRule } from ${JSON.stringify(join(ROOT, "src/domain/routing.ts"))};
      const patterns = ${JSON.stringify(HOSTILE)};
      const texts = ${JSON.stringify({ aRuns, spaces })};
      const facts = (text) => ({ text, channelId: 1, channelType: "api", intent: null, urgent: false, contactAttributes: {}, newContact: true, firstMessage: true, at: 0 });
      const out = {};
      for (const regex of patterns) for (const [name, text] of Object.entries(texts)) {
        const checks = evaluateRule({ id: 1, name: "r", position: 1, enabled: true, conditions: { regex }, actions: { labels: ["x"] } }, facts(text));
        out[regex + " on " + name] = checks.find((c) => c.condition === "regex").passed;
      }
      console.log(JSON.stringify(out));
    `;
    const child = Bun.spawn([BUN, "-e", script], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    const deadline = setTimeout(() => child.kill(9), 30_000);
    const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
    clearTimeout(deadline);
    expect(err).toBe("");
    expect(code).toBe(0); // killed at the deadline otherwise
    const passed = JSON.parse(out);
    expect(Object.keys(passed)).toHaveLength(HOSTILE.length * 2);
    expect(passed["(a|a)*$ on aRuns"]).toBe(true); // the empty match at the end, as before
    expect(passed["\\s*\\s*\\s*\\s*x on spaces"]).toBe(false);
  }, 60_000);

  test("a rule with such a pattern is saved, and the hostile message is routed through every rule after it", async () => {
    for (const [i, regex] of HOSTILE.entries()) {
      const r = await pano.api("/api/v1/routing-rules", { method: "POST", json: { name: `Mẫu ${i}`, conditions: { regex }, actions: { labels: [`mau-${i}`] } } });
      expect(r.status).toBe(201);
    }
    await pano.json("/api/v1/routing-rules", { method: "POST", json: { name: "Mọi tin", conditions: {}, actions: { labels: ["da-dinh-tuyen"] } } });

    const labelsOf = (conv: string) =>
      eventually(async () => {
        const c = await pano.json(`/api/v1/conversations/${conv}`);
        return c.labels.includes("da-dinh-tuyen") ? c.labels : null;
      }, 20_000, "the last rule to label the conversation");
    const first = await labelsOf(await customerSays(pano, channelId, "ke-tan-cong-1", aRuns));
    expect(first).toContain("mau-0");
    const second = await labelsOf(await customerSays(pano, channelId, "ke-tan-cong-2", spaces + "!"));
    expect(second).not.toContain("mau-2"); // no "x" among the spaces
    // And Pano still answers the next customer at once.
    expect(await labelsOf(await customerSays(pano, channelId, "khach-thuong", "shop ơi còn hàng không"))).toContain("da-dinh-tuyen");
  }, 60_000);
});

describe("syntax the linear-time engine does not have", () => {
  test("a back-reference or a lookaround is refused with 422 naming conditions.regex and saying why, in English and Vietnamese", async () => {
    const cases: [string, string, string][] = [
      ["(a)\\1", "back-references", "tham chiếu ngược"],
      ["(?<ma>DH\\d+) \\k<ma>", "back-references", "tham chiếu ngược"],
      ["DH(?=\\d{5})", "lookahead", "nhìn trước"],
      ["(?<!không )mua", "lookbehind", "nhìn sau"],
    ];
    const before = (await pano.json("/api/v1/routing-rules")).data.length;
    for (const [regex, en, vi] of cases) {
      const r = await pano.api("/api/v1/routing-rules", { method: "POST", json: { name: "Không hỗ trợ", conditions: { regex }, actions: { labels: ["x"] } } });
      expect(r.status).toBe(422);
      const { error } = await r.json();
      expect(error).toMatchObject({ code: "validation_failed", field: "conditions.regex" });
      expect(error.message).toContain(en);
      expect(error.message).toContain(vi);
      expect(error.message).toContain("RE2");
    }
    // A PATCH is held to the same rule.
    const rule = (await pano.json("/api/v1/routing-rules")).data[0];
    const patched = await pano.api(`/api/v1/routing-rules/${rule.id}`, { method: "PATCH", json: { conditions: { regex: "(a)\\1" } } });
    expect(patched.status).toBe(422);
    expect((await patched.json()).error.field).toBe("conditions.regex");
    expect((await pano.json("/api/v1/routing-rules")).data.length).toBe(before);
  });

  test("Settings › Routing refuses a back-reference beside the conditions box", async () => {
    const admin = await signIn(pano, ADMIN.email, ADMIN.password);
    const r = await admin.post("/settings/routing", { name: "Lặp chữ", enabled: "true", conditions: JSON.stringify({ regex: "(.)\\1" }), actions: JSON.stringify({ labels: ["lap"] }) });
    expect(r.status).toBe(422);
    expect(fieldError(r.html, "conditions")).toContain("tham chiếu ngược");
  });
});
