// bench/routing: ingest with triage + 20 routing rules + automatic assignment on, against the same
// ingest with them off (PANO_TRIAGE=off), in the same run (one API-channel message per request,
// the same bodies sent once each by wrk, 2 threads / 64 connections, synchronous=FULL); then how long the pipeline takes to
// catch up, and what evaluating the rules costs per message (as the pipeline does it, and with
// the full explanation the "try this message" box shows).
import { report } from "./load.ts";
import { benchSize } from "./processes.ts";
import { cpuLine, customerText, onVersusOff } from "./triage.ts";
import { addAgent, addTeam, type Agent } from "../tests/support/agents.ts";
import type { PanoProcess } from "../tests/support/pano.ts";
import { decide, type MessageFacts, type Rule } from "../src/domain/routing.ts";
import { classify, shippedModel } from "../src/domain/triage/index.ts";

const RULE_COUNT = 20;

/** Keywords, a regex, intents, urgency, hours; the last rule catches all. */
function ruleSet(teams: string[]) {
  const rules = Array.from({ length: RULE_COUNT - 1 }, (_, i) => ({
    name: `Quy tắc ${i}`,
    conditions: [
      { keywords: [`tu-khoa-${i}`, "hoàn tiền", "đổi trả"] },
      { regex: `\\bDH${i}\\d{6}\\b` },
      { intents: ["complaint"], urgent: true, applies_to: "any_message" },
      { business_hours: { when: "outside" }, keywords: [`dem-${i}`] },
    ][i % 4],
    actions: { team_id: teams[i % 2], labels: [`nhan-${i}`] },
  }));
  return [...rules, { name: "Còn lại", conditions: {}, actions: { team_id: teams[0] } }];
}

/** Two teams (round robin, least open), two online agents each with room for everything. */
async function configure(pano: PanoProcess): Promise<() => void> {
  const teams = [await addTeam(pano, "CSKH", "round_robin"), await addTeam(pano, "Bán hàng", "least_open")];
  const agents: Agent[] = [];
  for (const [i, t] of teams.entries()) for (const k of [0, 1]) agents.push(await addAgent(pano, `agent${i}${k}@bench.vn`, [t], 100_000));
  for (const a of agents) await a.goOnline();
  for (const json of ruleSet(teams)) await pano.json("/api/v1/routing-rules", { method: "POST", json });
  return () => agents.forEach((a) => a.goOffline());
}

function ruleEvaluation(n: number) {
  const rules = ruleSet(["1", "2"]).map((r, i): Rule => ({
    id: i + 1, position: i + 1, enabled: true, name: r.name, conditions: r.conditions as Rule["conditions"], actions: { ...r.actions, team_id: Number(r.actions.team_id) },
  }));
  const texts = Array.from({ length: 1000 }, (_, i) => customerText(i) + (i % 7 === 0 ? " hoàn tiền DH3123456" : ""));
  const facts = (i: number): MessageFacts => ({
    text: texts[i % texts.length], channelId: 1, channelType: "zalo", intent: "support_request", urgent: i % 5 === 0,
    contactAttributes: { tier: "vip" }, newContact: false, firstMessage: true, at: Date.now(),
  });
  const model = shippedModel();
  const usPer = (work: (i: number) => unknown) => {
    for (let i = 0; i < 2000; i++) work(i);
    const t = performance.now();
    for (let i = 0; i < n; i++) work(i);
    return ((performance.now() - t) * 1000) / n;
  };
  return { quick: usPer((i) => decide(rules, facts(i), true)), explained: usPer((i) => decide(rules, facts(i))), classify: usPer((i) => classify(model, texts[i % texts.length])) };
}

export async function run() {
  const n = benchSize(20_000);
  const { pano, baseline, lagSeconds, cpu, baselineCpu } = await onVersusOff(n, configure, "intent IS NULL OR assignee_id IS NULL");
  console.log(report(`bench/routing: ${n} API-channel messages, triage + ${RULE_COUNT} rules + assignment to 4 online agents on (pano) vs off (baseline), wrk 2 threads / 64 connections, best of alternating rounds`, pano, baseline, 0.9));
  console.log(`  pipeline  every conversation triaged, routed and assigned ${lagSeconds.toFixed(2)} s after the last acknowledgement`);
  console.log(cpuLine(n, cpu, baselineCpu));
  const m = Math.max(10_000, Math.min(n * 5, 100_000));
  const cost = ruleEvaluation(m);
  console.log(`  rules     ${cost.quick.toFixed(2)} µs per message for ${RULE_COUNT} rules as the pipeline evaluates them, ${cost.explained.toFixed(2)} µs with every check explained (${m} messages); local triage ${cost.classify.toFixed(2)} µs per message for comparison`);
  return { pano, baseline, lagSeconds, ruleUs: cost.quick };
}

if (import.meta.main) await run();
