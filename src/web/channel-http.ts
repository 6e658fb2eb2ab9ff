// What a channel kind's own routes get from the core (ChannelHttp): the channel directory, the
// runtime, the session/role checks, the client's address and a customer's own transcript, so a
// channel folder never imports web/ or pano.ts.
import type { Context } from "hono";
import type { Pano } from "../pano.ts";
import type { ChannelHttp } from "../channels/channel.ts";
import { sessionAuth, requireRole, type Env } from "./auth.ts";
import { isLang } from "../../views/i18n/index.ts";
import { clientIp } from "./client-ip.ts";
import { customerTranscripts } from "../store/customer-transcript.ts";
import { customerAgentsByPhone } from "../store/customer-agents.ts";
import { getContact, contactVisibleTo } from "../store/contacts.ts";
import { availabilityOf } from "../store/agent-availability.ts";
import { latestConversationOf } from "../store/conversation-customer.ts";
import { liveHub } from "./routes/pages/live.ts";
import { businessHoursInput } from "../store/sla-policies.ts";
import { parseBusinessHours } from "../domain/sla.ts";
import { answerSurvey, surveyBelongsTo } from "../store/csat.ts";

export function channelHttp(pano: Pano): ChannelHttp {
  return {
    publicUrl: pano.config.publicUrl,
    runtime: pano.runtime,
    channel: (id) => pano.channels.get(id),
    saveChannel: async (id, patch) => void (await pano.channels.update(id, patch)),
    restartChannel: (id) => pano.restartChannel(id),
    log: (level, msg, fields) => pano.log(level, msg, fields),
    signedIn: (...roles) => {
      const session = sessionAuth(pano);
      const role = requireRole(...roles);
      return ((c: Context<Env>, next: () => Promise<void>) => session(c, async () => void (await role(c, next)))) as never;
    },
    requireRole: (...roles) => requireRole(...roles) as never,
    language: (c: Context) => {
      const lang = (c as Context<Env>).get("user")?.language;
      return isLang(lang) ? lang : "vi";
    },
    clientAddress: (c) => clientIp(c, pano.config.trustProxy),
    customerTranscripts: customerTranscripts(pano.store.sqlite),
    channelByKey: (type, key) => pano.channels.byExternalKey(type, key),
    channelsOfType: (type) => pano.channels.ofType(type),
    businessHours: (teamId) => {
      const input = businessHoursInput(pano.store.sqlite, teamId);
      const parsed = input ? parseBusinessHours(input) : null;
      return typeof parsed === "string" ? null : parsed;
    },
    customerTyping: (channelId, externalId) => {
      const conversationId = latestConversationOf(pano.store.sqlite, channelId, externalId);
      if (conversationId) liveHub(pano).customerTyping(conversationId);
    },
    caller: (c) => {
      const u = (c as Context<Env>).get("user");
      return { id: u.id, email: u.email, phoneUserId: pano.users.byId(u.id)?.phone_user_id ?? null };
    },
    answerSurvey: async (channelId, externalId, surveyId, rating, comment) => {
      if (!surveyBelongsTo(pano.store.sqlite, surveyId, channelId, externalId)) return "not_found";
      return (await pano.writer.submit((tx) => answerSurvey(tx, surveyId, rating, comment, "widget"))) ? "ok" : "not_found";
    },
    visibleContact: (c, id) => {
      const found = getContact(pano.store.sqlite, id);
      const contact = found?.merged_into ? getContact(pano.store.sqlite, found.merged_into) : found;
      if (!contact || !contactVisibleTo(pano.store.sqlite, contact.id, (c as Context<Env>).get("viewer"))) return null;
      return { id: contact.id, name: contact.name, phone: contact.phone };
    },
    agentsForPhone: (phone) => {
      const found = customerAgentsByPhone(pano.store.sqlite, phone);
      // Online as routing means it: a live connection and the agent's own status "online".
      const online = (a: { id: number } | null) => !!a && pano.presence.isConnected(a.id) && availabilityOf(pano.store.sqlite, a.id) === "online";
      return { owner: online(found.owner) ? found.owner : null, team: found.team.filter(online) };
    },
  };
}
