// Writing first on Zalo: inside the 7-day window (and to a follower) a consultation message; after
// it, or to someone who never wrote to the OA, only a ZNS template to their phone number (zns.ts).
// A template may also be chosen inside the window: it reaches the customer either way.
import type { ChannelOutreach, OutreachTarget, MessageTemplate } from "../channel.ts";
import type { ZaloConfig } from "./config.ts";
import { TEXT_LIMIT } from "./send.ts";
import { keptTemplates, keptQuota, keptFailures, syncTemplates, znsPhone, templatesSyncedAt } from "./zns.ts";
import { textRefusal, refusal, type OutreachRefusal } from "../outreach-text.ts";
import { paramProblem } from "../../domain/template-params.ts";
import { DEFAULT_TIMEZONE } from "../../domain/routing.ts";
import { speaker } from "../texts.ts";
import { zaloTexts } from "./texts.ts";

const say = speaker(zaloTexts);
export const WINDOW_MS = 7 * 24 * 3600_000;

/** Why a consultation message cannot go now, or null when it can. */
export function windowRefusal(target: Pick<OutreachTarget, "externalId" | "lastInboundAt" | "contactFollows" | "now">): OutreachRefusal | null {
  if (!target.externalId || !target.lastInboundAt) return refusal("never_wrote", say("outreach.never_wrote"));
  if (target.contactFollows === false) return refusal("not_follower", say("outreach.not_follower"));
  if (target.now.getTime() - target.lastInboundAt.getTime() > WINDOW_MS) return refusal("outside_window", say("outreach.outside_window"));
  return null;
}

/** Why no ZNS can go to this customer, or null when one can. */
function znsRefusal(target: OutreachTarget, templates: MessageTemplate[]): OutreachRefusal | null {
  if (!target.contact.phone) return refusal("no_phone", say("zns.no_phone"));
  if (!znsPhone(target.contact.phone)) return refusal("invalid_phone", say("zns.invalid_phone", { phone: target.contact.phone }));
  if (!templates.some((t) => t.usable)) return refusal("no_templates", say("zns.no_templates"));
  return null;
}

/** "14:05 04/12/2026": an instant kept as ISO (UTC) as the admin reads it, in Vietnam time. */
const VN_CLOCK = new Intl.DateTimeFormat("en-GB", { timeZone: DEFAULT_TIMEZONE, hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric", hourCycle: "h23" });
export function vnTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = Object.fromEntries(VN_CLOCK.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}`;
}

/** What the timeline shows for a ZNS: the template's name and each param's value. */
export function znsText(t: MessageTemplate, data: Record<string, string>): string {
  const lines = t.params.filter((p) => (data[p.name] ?? "").trim()).map((p) => `${p.name}: ${data[p.name].trim()}`);
  return [`ZNS · ${t.name}`, ...lines].join("\n");
}

export const zaloOutreach: ChannelOutreach<ZaloConfig> = {
  check(target, channel, rt) {
    const outside = windowRefusal(target);
    if (!outside) return { ok: true, form: "text" };
    const noZns = znsRefusal(target, keptTemplates(rt, channel.id));
    // The window's code, and both reasons: the window's, then why ZNS cannot stand in for it.
    return noZns ? refusal(outside.code, { vi: `${outside.reason.vi} ${noZns.reason.vi}`, en: `${outside.reason.en} ${noZns.reason.en}` }) : { ok: true, form: "template" };
  },

  compose(target, req, channel, rt) {
    if (req.templateId === undefined) {
      const bad = windowRefusal(target) ?? textRefusal(req.text, TEXT_LIMIT);
      return bad ?? { text: req.text!.trim(), externalId: target.externalId! };
    }
    const templates = keptTemplates(rt, channel.id);
    const noZns = znsRefusal(target, templates);
    if (noZns && noZns.code !== "no_templates") return noZns;
    const t = templates.find((x) => x.id === String(req.templateId));
    if (!t) return refusal("template_not_found", say("zns.template_not_found", { id: String(req.templateId) }));
    if (!t.usable) return refusal("template_not_approved", say("zns.template_not_approved", { name: t.name, status: t.status }));
    const data = Object.fromEntries(Object.entries(req.templateData ?? {}).map(([k, v]) => [k, String(v).trim()]));
    const problem = paramProblem(t, data);
    if (problem) return refusal("params_invalid", { vi: problem.vi, en: problem.en });
    const sent = Object.fromEntries(t.params.filter((p) => data[p.name]).map((p) => [p.name, data[p.name]]));
    return { text: znsText(t, sent), externalId: target.externalId ?? "", meta: { template: { id: t.id, name: t.name, data: sent } } };
  },

  templates: (channel, rt) => keptTemplates(rt, channel.id),
  syncTemplates,

  usage(channel, rt) {
    const q = keptQuota(rt, channel.id);
    const synced = templatesSyncedAt(rt, channel.id);
    const lines = [{ label: "zns.usage.templates", value: `${keptTemplates(rt, channel.id).filter((t) => t.usable).length}/${keptTemplates(rt, channel.id).length} · ${synced ? vnTime(synced) : "—"}` }];
    lines.push({ label: "zns.usage.quota", value: q && q.remaining !== null ? `${q.remaining}/${q.daily ?? "?"} (${vnTime(q.at)})` : "—" });
    for (const f of keptFailures(rt, channel.id).slice(0, 5)) lines.push({ label: "zns.usage.failure", value: `${vnTime(f.at)} · #${f.message_id} · ${f.code}: ${f.vi} / ${f.en}` });
    return lines;
  },
};
