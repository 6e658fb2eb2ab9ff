// A macro's actions in words, for the composer's picker and the settings list.
import type { Translate, MessageKey } from "../i18n/index.ts";
import type { MacroAction } from "../../src/domain/macro.ts";

export interface Names {
  agents: Map<number, string>;
  teams: Map<number, string>;
}

const clip = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n)}…` : s);

export function describeAction(t: Translate, a: MacroAction, names: Names): string {
  switch (a.type) {
    case "reply": return `${t("macro.action.reply")}: “${clip(a.text)}”`;
    case "note": return `${t("macro.action.note")}: “${clip(a.text)}”`;
    case "add_labels": return t("macro.action.add_labels", { labels: a.labels.map((l) => `#${l}`).join(" ") });
    case "remove_labels": return t("macro.action.remove_labels", { labels: a.labels.map((l) => `#${l}`).join(" ") });
    case "assign": return a.assignee_id === "me" ? t("macro.action.assign_me") : a.assignee_id === null ? t("macro.action.unassign") : t("macro.action.assign", { to: names.agents.get(a.assignee_id) ?? `#${a.assignee_id}` });
    case "team": return a.team_id === null ? t("macro.action.no_team") : t("macro.action.team", { to: names.teams.get(a.team_id) ?? `#${a.team_id}` });
    case "status": return t("macro.action.status", { to: t(`status.${a.status}` as MessageKey) });
    case "priority": return t("macro.action.priority", { to: t(`priority.${a.priority}` as MessageKey) });
  }
}
