// Settings › Macros' form: one field per kind of action, named as the action's type (left empty
// or "unchanged": not part of the macro), read into the same input the REST API takes, and a
// saved macro back into the form.
import type { MacroRow } from "../../../store/macros.ts";
import { actionsOf, visibilityOf } from "../../../store/macros.ts";
import { text, type FormValues } from "./settings-form.ts";

export type MacroFormValues = Record<string, string>;

const labelList = (s: string) => s.split(/[,#]/).map((l) => l.trim()).filter(Boolean);

/** visibility: "personal", "everyone" or "team:<id>". */
export function inputFromForm(f: FormValues): { raw: Record<string, unknown>; values: MacroFormValues } {
  const names = ["name", "visibility", "reply", "note", "add_labels", "remove_labels", "assign", "team", "status", "priority"];
  const values = Object.fromEntries(names.map((n) => [n, text(f, n)]));
  const actions: Record<string, unknown>[] = [];
  if (values.reply) actions.push({ type: "reply", text: values.reply });
  if (values.note) actions.push({ type: "note", text: values.note });
  if (labelList(values.add_labels).length) actions.push({ type: "add_labels", labels: labelList(values.add_labels) });
  if (labelList(values.remove_labels).length) actions.push({ type: "remove_labels", labels: labelList(values.remove_labels) });
  if (values.assign) actions.push({ type: "assign", assignee_id: values.assign === "none" ? null : values.assign });
  if (values.team) actions.push({ type: "team", team_id: values.team === "none" ? null : values.team });
  if (values.priority) actions.push({ type: "priority", priority: values.priority });
  if (values.status) actions.push({ type: "status", status: values.status });
  const team = /^team:(\d+)$/.exec(values.visibility);
  const visibility = team ? "team" : values.visibility || "personal";
  return { raw: { name: values.name, visibility, team_id: team ? team[1] : null, actions }, values };
}

export function formFromMacro(m: MacroRow): MacroFormValues {
  const v: MacroFormValues = { name: m.name, visibility: visibilityOf(m) === "team" ? `team:${m.team_id}` : visibilityOf(m) };
  for (const a of actionsOf(m)) {
    if (a.type === "reply" || a.type === "note") v[a.type] = a.text;
    else if (a.type === "add_labels" || a.type === "remove_labels") v[a.type] = a.labels.join(", ");
    else if (a.type === "assign") v.assign = a.assignee_id === null ? "none" : String(a.assignee_id);
    else if (a.type === "team") v.team = a.team_id === null ? "none" : String(a.team_id);
    else if (a.type === "status") v.status = a.status;
    else if (a.type === "priority") v.priority = a.priority;
  }
  return v;
}
