// Stories of the dashboard's hourly roll-ups: after a mixed day of a shop's work (a colleague
// answering for the assignee, a reopen, resolutions, a wait across a weekend counted in business
// hours, a reassignment and a team move) every figure read from the roll-ups is exactly the one
// computed from the raw rows, for whole and cut-off periods, per team and per agent, and in every
// chart (a customer message delivered late, before an answered one, included), whatever the SLA
// threshold asked for and in any time zone (one half an hour off the hour too); emptied, the
// roll-ups come back identical with `pano reports rebuild` and at start.
import { expect, test } from "bun:test";
import { dirname } from "node:path";
import type { Pano } from "../src/pano.ts";
import { summaryWithRows, periodRows } from "../src/web/report-summary.ts";
import { buildSeries } from "../src/web/report-series.ts";
import { series, SERIES_METRICS } from "../src/domain/report-series.ts";
import { saveSlaPolicy, saveBusinessHours } from "../src/store/sla-policies.ts";
import { addWorkSpan } from "../src/store/work-spans.ts";
import { buildMissingRollups, rebuildRollups, rollupsMissing } from "../src/store/report-rollups.ts";
import { openStore } from "../src/store/db.ts";
import { clockedStore, MIN } from "./support/clocked-store.ts";
import { eventually } from "./support/pano.ts";

const local = (iso: string) => Date.parse(`${iso}+07:00`);

async function mixedDay() {
  const s = clockedStore(local("2026-03-06T08:00:00"));
  const ch = s.channel();
  const lan = s.user("Lan");
  const minh = s.user("Minh");
  const team = s.team("CSKH");
  await saveBusinessHours(s.writer, team, { hours: { mon: "08:00-12:00,13:30-17:30", tue: "08:00-17:30", wed: "08:00-17:30", thu: "08:00-17:30", fri: "08:00-12:00,13:30-17:30" } }, lan);
  await saveSlaPolicy(s.db, s.writer, { team_id: team, priority: null, first_response_minutes: 30, next_response_minutes: 60, resolution_minutes: 24 * 60 }, null, lan);
  const open = async (iso: string, who: string, assignee: number | null, inTeam = true) => {
    s.at(`${iso}+07:00`);
    const id = (await s.customer(ch, who, "Cho mình hỏi")).conversationId!;
    await s.update(id, { ...(inTeam ? { teamId: team } : {}), ...(assignee ? { assigneeId: assignee } : {}) });
    return id;
  };
  const at = (iso: string) => s.at(`${iso}+07:00`);

  // A, Lan's: Minh answers first; two questions wait for Lan; resolved, reopened within the window, Minh resolves it.
  const a = await open("2026-03-06T09:00:00", "a", lan);
  at("2026-03-06T09:04:00"); await s.reply(a, minh);
  at("2026-03-06T09:10:00"); await s.customer(ch, "a", "Giá bao nhiêu ạ?");
  at("2026-03-06T09:12:00"); await s.customer(ch, "a", "Có giao Hà Nội không?");
  at("2026-03-06T09:20:00"); await s.reply(a, lan);
  await s.writer.submit((tx) => addWorkSpan(tx, { conversationId: a, userId: lan, kind: "reply", startedAt: local("2026-03-06T09:15:00"), endedAt: local("2026-03-06T09:20:00") }));
  at("2026-03-06T09:30:00"); await s.update(a, { status: "resolved" }, lan);
  at("2026-03-06T10:00:00"); await s.customer(ch, "a", "Mình muốn đổi size");
  at("2026-03-06T10:07:00"); await s.reply(a, minh);
  at("2026-03-06T10:10:00"); await s.update(a, { status: "resolved" }, minh);

  // E, Lan's: answered before noon; the next question waits from Friday 11:50 to Monday 08:30 (40 business minutes).
  const e = await open("2026-03-06T11:30:00", "e", lan);
  at("2026-03-06T11:35:00"); await s.reply(e, lan);
  at("2026-03-06T11:50:00"); await s.customer(ch, "e", "Còn hàng không shop?");

  // B, Minh's: the customer writes again after closing time on Friday; Lan answers on Monday morning.
  const b = await open("2026-03-06T17:20:00", "b", minh);
  at("2026-03-06T17:25:00"); await s.reply(b, minh);
  at("2026-03-06T17:40:00"); await s.customer(ch, "b", "Shop ơi?");
  // C: no team, nobody answers (the report's threshold judges it); D: Saturday, answered in 45 minutes.
  const c = await open("2026-03-06T18:00:00", "c", null, false);
  const d = await open("2026-03-07T09:00:00", "d", lan);
  at("2026-03-07T09:45:00"); await s.reply(d, lan);

  at("2026-03-09T08:20:00"); await s.reply(b, lan);
  at("2026-03-09T08:30:00"); await s.reply(e, lan);
  // Monday: B goes to Lan, C joins the team and Minh takes it (every figure of theirs moves with them).
  at("2026-03-09T09:00:00"); await s.update(b, { assigneeId: lan, status: "resolved" }, lan);
  at("2026-03-09T10:00:00"); await s.update(c, { teamId: team, assigneeId: minh });
  at("2026-03-09T10:05:00"); await s.reply(c, minh);

  const pano = { store: s.store, users: { list: () => [{ id: lan, name: "Lan" }, { id: minh, name: "Minh" }] }, channels: { get: () => ({ name: "Zalo" }) } } as unknown as Pano;
  return { s, pano, ch, lan, minh, team, ids: { a, b, c, d, e } };
}

type Day = Awaited<ReturnType<typeof mixedDay>>;

const PERIODS: [string, string][] = [
  ["2026-03-06T00:00:00", "2026-03-10T00:00:00"], // the whole story
  ["2026-03-06T09:11:00", "2026-03-09T08:25:00"], // cut off inside hours, at both ends
  ["2026-03-06T00:00:00", "2026-03-06T12:00:00"], // Friday morning: E's Monday answer is after it
];

/** Every figure the summary, the per-agent table and each chart show, from the roll-ups and from the raw rows. */
function figures(day: Day, from: string, to: string, extra: Record<string, string> = {}, timeZone = "Asia/Ho_Chi_Minh") {
  const q: Record<string, string> = { from: new Date(local(from)).toISOString(), to: new Date(local(to)).toISOString(), sla_minutes: "60", ...extra };
  const read = (raw: boolean) => {
    const { summary, range } = summaryWithRows(day.pano, (n) => q[n], raw);
    const f = { teamId: extra.team_id ? Number(extra.team_id) : undefined, agentId: extra.agent_id ? Number(extra.agent_id) : undefined };
    const rows = periodRows(day.pano, range, f, { raw, records: true });
    const charts = Object.fromEntries(
      [...SERIES_METRICS, "response_seconds.p90", "first_response_seconds.p90"].flatMap((m) =>
        (["hour", "day"] as const).map((interval) => [`${m}/${interval}`, series(m, interval, range, timeZone, { ...rows, slaMs: Number(q.sla_minutes) * MIN, now: Date.now(), authorId: f.agentId })]),
      ),
    );
    return { summary, charts };
  };
  return { rollups: read(false), raw: read(true) };
}

test("a customer message delivered late, written before a question that was answered, moves that wait in the roll-ups as in the raw rows", async () => {
  const day = await mixedDay();
  const before = figures(day, ...PERIODS[0]).raw;
  // Written Friday 11:40, before the 11:50 question Lan answered on Monday; delivered Monday 08:40.
  day.s.at("2026-03-09T08:40:00+07:00");
  await day.s.customer(day.ch, "e", "Size M nhé", local("2026-03-06T11:40:00"));
  const after = figures(day, ...PERIODS[0]);
  expect(after.raw).not.toEqual(before);
  for (const [from, to] of PERIODS) {
    const { rollups, raw } = figures(day, from, to, { agent_id: String(day.lan) });
    expect(rollups).toEqual(raw);
  }
});

test("after a mixed day, every figure from the roll-ups is the one from the raw rows", async () => {
  const day = await mixedDay();
  for (const [from, to] of PERIODS) {
    const filters: Record<string, string>[] = [{}, { team_id: String(day.team) }, { agent_id: String(day.lan) }, { agent_id: String(day.minh) }];
    for (const extra of filters) {
      const { rollups, raw } = figures(day, from, to, extra);
      expect(rollups).toEqual(raw);
    }
  }
  // Without a next-response target the roll-ups need no wait records for the SLA verdicts: still the same.
  day.s.db.run("UPDATE sla_policies SET next_response_minutes = NULL");
  for (const [from, to] of PERIODS) {
    const { rollups, raw } = figures(day, from, to, { team_id: String(day.team) });
    expect(rollups).toEqual(raw);
  }
  day.s.db.run("UPDATE sla_policies SET next_response_minutes = 60");
  // The figures are the story's: Minh is credited for answering Lan's conversation and for C
  // (Friday 18:00 to Monday 10:05, first response missed under the team's policy it moved to);
  // E's wait from Friday 11:50 to Monday 08:30 is 280 business minutes (next response missed),
  // B's from Friday 17:40 (after closing) to Monday 08:20 only 20.
  const { rollups: { summary: r } } = figures(day, ...PERIODS[0]);
  const agent = (id: number) => r.by_agent.find((x) => x.agent_id === String(id))!;
  expect(r.conversations_opened).toBe(5);
  expect(r.conversations_resolved).toBe(2);
  expect(agent(day.minh)).toMatchObject({ replies: 4, first_responses: 3, conversations_resolved: 1, response_seconds: { p50: 300, p90: 230700 } });
  expect(agent(day.lan)).toMatchObject({ replies: 5, first_responses: 2, conversations_resolved: 1, response_seconds: { p50: 600, p90: 247200 }, conversations_opened: 4 });
  expect(agent(day.lan).response_seconds.p90).toBe((local("2026-03-09T08:30:00") - local("2026-03-06T11:50:00")) / 1000);
  expect(r.handle_seconds).toEqual({ p50: 300, p90: 300 });
  expect(r.sla_missed).toEqual({ first_response: 1, next_response: 1, resolution: 0 });
  expect(r.sla_breaches).toBe(2);
  // The API's time series read the roll-ups too.
  const q: Record<string, string> = { metric: "response_seconds", interval: "day", from: new Date(local(PERIODS[0][0])).toISOString(), to: new Date(local(PERIODS[0][1])).toISOString() };
  expect(buildSeries(day.pano, (n) => q[n], "Asia/Ho_Chi_Minh").points.map((p) => p.value)).toEqual([300, 2700, null, 230700]);
});

test("any SLA threshold, and charts in a zone half an hour off the hour, give the same figures from the roll-ups as from the raw rows", async () => {
  const day = await mixedDay();
  const zones = ["Asia/Kolkata", "America/St_Johns", "Asia/Ho_Chi_Minh"];
  const check = () => {
    for (const [from, to] of PERIODS) {
      for (const [k, sla] of ["1", "0.5", "45", "90", "2.25", "3000", "10000"].entries()) {
        for (const extra of [{}, { agent_id: String(day.lan) }] as Record<string, string>[]) {
          const { rollups, raw } = figures(day, from, to, { sla_minutes: sla, ...extra }, zones[k % zones.length]);
          expect(rollups).toEqual(raw);
        }
      }
    }
  };
  check();
  // Without SLA policies every conversation is judged by the report's own threshold.
  day.s.db.run("DELETE FROM sla_policies");
  check();
  const loose = figures(day, ...PERIODS[0], { sla_minutes: "10000" }).rollups.summary;
  const strict = figures(day, ...PERIODS[0], { sla_minutes: "0.5" }).rollups.summary;
  expect(loose.sla_breaches).toBe(0);
  expect(strict.sla_breaches).toBe(strict.conversations_opened);
});

test("a view keeps the pages it read, and the next view sees every page another connection rewrote since", async () => {
  const day = await mixedDay();
  const before = figures(day, ...PERIODS[0]);
  expect(before.rollups).toEqual(before.raw);
  // Another process (here another connection to the same file) resolves D and rewrites its pages,
  // as its own writer would: the reader of the first connection kept the old ones.
  const other = openStore(dirname(day.s.store.path));
  try {
    other.sqlite.run("UPDATE conversations SET status = 'resolved', resolved_at = ?, assignee_id = ? WHERE id = ?", [local("2026-03-09T11:30:00"), day.minh, day.ids.d]);
    await rebuildRollups(other.sqlite, (work) => other.sqlite.transaction(() => work(other.sqlite)).immediate(), { from: local("2026-03-06T00:00:00"), to: local("2026-03-10T00:00:00") });
  } finally {
    other.close();
  }
  const after = figures(day, ...PERIODS[0]);
  expect(after.raw).not.toEqual(before.raw);
  expect(after.rollups).toEqual(after.raw);
  expect(after.rollups.summary.conversations_resolved).toBe(before.raw.summary.conversations_resolved + 1);
  // And a page deleted by hand on this very connection is gone from the next view too.
  day.s.db.run("DELETE FROM report_pages WHERE kind = 5");
  expect(figures(day, ...PERIODS[0]).rollups.summary.conversations_opened).toBe(0);
});

test("emptied roll-ups come back identical with pano reports rebuild, and on their own at start", async () => {
  const day = await mixedDay();
  const before = figures(day, ...PERIODS[1]).raw;
  const empty = () => day.s.db.run("DELETE FROM report_pages; DELETE FROM report_conversations");
  empty();
  expect(figures(day, ...PERIODS[1]).rollups.summary.conversations_opened).toBe(0);

  const cli = Bun.spawnSync(["bun", "src/main.ts", "reports", "rebuild"], { env: { ...process.env, PANO_DATA_DIR: dirname(day.s.store.path) }, stdout: "pipe", stderr: "pipe" });
  expect(cli.stderr.toString()).toBe("");
  expect(cli.stdout.toString()).toMatch(/^report roll-ups rebuilt \(all conversations\): 5 conversations read, 5 written, \d+ hour pages/);
  expect(cli.exitCode).toBe(0);
  expect(figures(day, ...PERIODS[1]).rollups).toEqual(before);

  // A period only: the conversations with something in it are rewritten (the others stay as they were).
  empty();
  const partial = Bun.spawnSync(["bun", "src/main.ts", "reports", "rebuild", "--from", "2026-03-09T00:00:00+07:00"], { env: { ...process.env, PANO_DATA_DIR: dirname(day.s.store.path) }, stdout: "pipe" });
  expect(partial.stdout.toString()).toMatch(/: 3 conversations read, 3 written/);

  // An upgraded database (conversations, no roll-ups) gets them at start, through the writer.
  empty();
  const logged: string[] = [];
  buildMissingRollups(day.s.writer, day.s.db, (_level, msg) => void logged.push(msg));
  await eventually(() => logged.includes("report roll-ups built"));
  expect(figures(day, ...PERIODS[1]).rollups).toEqual(before);
  expect(rollupsMissing(day.s.db)).toBe(false);
  // A start stopped mid-build (some conversations kept since, the whole never built) builds again.
  day.s.db.run("DELETE FROM report_pages WHERE id = 0");
  expect(rollupsMissing(day.s.db)).toBe(true);
  buildMissingRollups(day.s.writer, day.s.db, (_level, msg) => void logged.push(msg));
  await eventually(() => logged.filter((m) => m === "report roll-ups built").length === 2);
  expect(rollupsMissing(day.s.db)).toBe(false);
  // Kept from then on: a new reply is in the next read.
  day.s.at("2026-03-09T11:00:00+07:00");
  await day.s.reply(day.ids.d, day.minh);
  const after = figures(day, "2026-03-06T00:00:00", "2026-03-10T00:00:00");
  expect(after.rollups).toEqual(after.raw);
  expect(after.rollups.summary.by_agent.find((x) => x.agent_id === String(day.minh))!.replies).toBe(5);
});

test("conversations written outside Pano (a bulk SQL import) are worked off over the next batches, 2,000 at a time", async () => {
  const s = clockedStore(local("2026-03-06T08:00:00"));
  const ch = s.channel();
  const t = s.clock.t;
  s.db.transaction(() => {
    for (let k = 1; k <= 2100; k++) {
      s.db.run("INSERT INTO contacts (id, name, search, created_at, updated_at) VALUES (?1, ?2, ?2, ?3, ?3)", [k, `Khách ${k}`, t]);
      s.db.run("INSERT INTO conversations (id, channel_id, contact_id, status, last_message_at, created_at, updated_at) VALUES (?1, ?2, ?1, 'open', ?3, ?3, ?3)", [k, ch, t + k]);
    }
  })();
  const marked = () => s.db.query<{ n: number }, []>("SELECT count(*) AS n FROM report_dirty").get()!.n;
  expect(marked()).toBe(2100);
  await s.writer.submit(() => {});
  expect(marked()).toBe(100);
  await s.writer.submit(() => {});
  expect(marked()).toBe(0);
  const pano = { store: s.store, users: { list: () => [] }, channels: { get: () => ({ name: "Zalo" }) } } as unknown as Pano;
  const q: Record<string, string> = { from: new Date(t).toISOString(), to: new Date(t + 3600_000).toISOString() };
  expect(summaryWithRows(pano, (n) => q[n]).summary.conversations_opened).toBe(2100);
});
