// GET /reports/drill?metric=&period=&team_id=&channel_id=&agent_id=: the conversations behind one
// dashboard figure (domain/report-drill.ts), counted from the same rows as the figure itself.
import type { Context } from "hono";
import type { Pano } from "../../../pano.ts";
import { renderError, type PageEnv } from "../../view-context.ts";
import { summaryWithRows } from "../../report-summary.ts";
import { drillDown, isDrillMetric } from "../../../domain/report-drill.ts";
import { conversationContactNames } from "../../../store/report-drill.ts";
import { userNames } from "../../../store/user-names.ts";
import { teamNames } from "../../../store/teams.ts";
import { DrillPage } from "../../../../views/reports/drill.tsx";
import type { MessageKey } from "../../../../views/i18n/index.ts";

const SHOWN = 200;

export function drillPage(pano: Pano, c: Context<PageEnv>, params: Record<string, string | undefined>, period: string) {
  const view = c.get("view");
  const metric = c.req.query("metric");
  if (!isDrillMetric(metric)) return renderError(c, view, 400, view.t("error.generic"));
  const id = (name: string) => (/^\d+$/.test(c.req.query(name) ?? "") ? Number(c.req.query(name)) : undefined);
  const channelId = id("channel_id");
  const agentId = id("agent_id");
  // The conversations themselves: read from the raw rows (the roll-ups give the same figures).
  const { summary, range, rows } = summaryWithRows(pano, (n) => params[n], true);
  const facts = rows.facts.filter((f) => (channelId === undefined || f.channelId === channelId) && (agentId === undefined || f.assigneeId === agentId));
  const all = drillDown(facts, metric, range, summary.sla_minutes * 60_000, Date.now(), rows.judge);
  const shown = all.slice(0, SHOWN);
  const db = pano.store.sqlite;
  const contacts = conversationContactNames(db, shown.flatMap((r) => (r.fact.id ? [r.fact.id] : [])));
  const users = userNames(db, shown.flatMap((r) => (r.fact.assigneeId ? [r.fact.assigneeId] : [])));
  const scope = [
    view.t(`reports.period.${period}` as MessageKey),
    params.team_id ? teamNames(db).find((t) => String(t.id) === params.team_id)?.name : null,
    channelId !== undefined ? pano.channels.get(channelId)?.name : null,
    agentId !== undefined ? userNames(db, [agentId]).get(agentId) : null,
  ].filter(Boolean).join(" · ");
  const back = new URLSearchParams({ period, ...(params.team_id ? { team_id: params.team_id } : {}), ...(params.sla_minutes ? { sla_minutes: params.sla_minutes } : {}) });
  return c.html(DrillPage({
    c: view,
    d: {
      metric, scope, backHref: `/reports?${back}`, total: all.length,
      items: shown.map((r) => {
        return {
          id: r.fact.id ?? 0, contact: contacts.get(r.fact.id ?? 0) ?? null,
          channelType: r.fact.channelType, channelName: pano.channels.get(r.fact.channelId)?.name ?? null,
          assignee: r.fact.assigneeId ? users.get(r.fact.assigneeId) ?? null : null, status: r.fact.status ?? null,
          createdAt: r.fact.createdAt, firstResponseS: r.firstResponseS, resolutionS: r.resolutionS, missed: r.missed,
        };
      }),
    },
  }));
}
