// Notifications: hears what was committed (a note's @mentions, an assignment, a customer's
// message, a channel in trouble, an SLA timer) and tells the people it concerns, each in the ways
// they chose: a row in their bell (in_app), an alert their background tab shows with a sound
// (browser, over the live stream), a Web Push to their devices (push). Whether the person may see
// the conversation is checked here, when it is delivered, and again whenever the bell is read.
import type { Database } from "bun:sqlite";
import type { EventBus } from "./events.ts";
import type { Writer } from "../store/writer.ts";
import type { Users, UserRow } from "../store/users.ts";
import type { Logger } from "../log.ts";
import type { PushSender } from "./web-push.ts";
import { canSee, scopeOf } from "../domain/conversation.ts";
import { findMentions } from "../domain/mention.ts";
import { excerpt, kindsFor, type NotificationData } from "../domain/notification.ts";
import { getConversation } from "../store/conversations.ts";
import { getMessage } from "../store/messages.ts";
import { contactName } from "../store/contacts.ts";
import { channelTrouble } from "../store/channel-health.ts";
import { mentionables, mentionsRecorded, recordMentions } from "../store/mentions.ts";
import { addNotification, notificationKeyUsed, notificationPrefs, pruneReadNotifications, unreadByKey } from "../store/notifications.ts";
import { notificationWords } from "../../views/i18n/notifications.ts";
import { notificationOpenUrl, notificationTitle } from "../../views/notifications/words.ts";
import { watchSla } from "./sla-watch.ts";
import type { Delivery } from "./notification-delivery.ts";
import { every } from "./every.ts";

/** Read notifications are kept 90 days, looked at every 6 hours. */
const KEEP_READ_MS = 90 * 86400_000;
const PRUNE_EVERY_MS = 6 * 3600_000;

export type { Delivery };

export interface NotifyDeps {
  db: Database;
  writer: Writer;
  events: EventBus;
  users: Users;
  channelName: (id: number) => string | null;
  push: PushSender;
  log: Logger;
  /** How often SLA timers are looked at (PANO_SLA_CHECK_MS, shared with the breach watch). */
  slaCheckMs?: number;
}

export class Notifier {
  constructor(private d: NotifyDeps) {}

  /** Tells each person in the ways they chose; resolves once written (pushes go on in the background). */
  async deliver(items: Delivery[]): Promise<void> {
    const ready = items.flatMap((item) => {
      const user = this.d.users.byId(item.userId);
      if (!user || !kindsFor(user.role).includes(item.kind)) return [];
      const ways = notificationPrefs(this.d.db, user.id)[item.kind];
      if (!ways.in_app && !ways.browser && !ways.push) return [];
      if (item.conversationId != null && !this.mayShow(user, item.conversationId)) return [];
      if (item.once && item.dedupe && notificationKeyUsed(this.d.db, user.id, item.dedupe)) return [];
      return [{ item, user, ways }];
    });
    if (!ready.length) return;
    const pushes = await this.d.writer.submit((tx) =>
      ready.map(({ item, user, ways }) => {
        const previous = item.dedupe ? unreadByKey(tx.db, user.id, item.dedupe) : null;
        const data = item.data(previous ? (JSON.parse(previous.data) as NotificationData) : null);
        const fields = { conversationId: item.conversationId ?? null, messageId: item.messageId ?? null, channelId: item.channelId ?? null };
        const row = ways.in_app ? addNotification(tx, { userId: user.id, kind: item.kind, actorId: item.actorId, data, dedupe: item.dedupe, ...fields }) : null;
        const t = notificationWords(user.language);
        const facts = { id: row?.id ?? null, kind: item.kind, conversation_id: fields.conversationId, message_id: fields.messageId, channel_id: fields.channelId, data };
        const alert = { title: notificationTitle(facts, t), body: data.preview ?? "", url: notificationOpenUrl(facts), tag: `pano-${item.kind}-${fields.conversationId ?? fields.channelId ?? row?.id ?? 0}` };
        tx.emit({ type: "notification.created", userId: user.id, notificationId: row?.id ?? null, conversationId: fields.conversationId, alert: ways.browser ? alert : undefined });
        return ways.push ? { userId: user.id, alert } : null;
      }),
    );
    for (const p of pushes) if (p) void this.d.push.sendTo(p.userId, p.alert).catch((err) => this.d.log("warn", "push failed", { error: String(err) }));
  }

  /** Delivery-time check: only about a conversation this person may see now. */
  private mayShow(user: UserRow, conversationId: number): boolean {
    const conv = getConversation(this.d.db, conversationId);
    return !!conv && canSee(this.d.users.viewer(user), scopeOf(conv));
  }

  /** A private note: its @mentions are stored, let the named in, and tell them. */
  async onNote(messageId: number, conversationId: number): Promise<void> {
    const m = getMessage(this.d.db, messageId);
    if (!m || !m.private || !m.text.includes("@") || mentionsRecorded(this.d.db, messageId)) return;
    const named = findMentions(m.text, mentionables(this.d.db));
    if (!named.length) return;
    const authorId = m.author_type === "user" ? m.author_id : null;
    const people = await this.d.writer.submit((tx) => recordMentions(tx, { messageId, conversationId, authorId }, named));
    const actor = authorId ? this.d.users.byId(authorId)?.name : undefined;
    const conv = getConversation(this.d.db, conversationId);
    const contact = conv ? contactName(this.d.db, conv.contact_id) ?? undefined : undefined;
    const teams = new Map(named.filter((n) => n.kind === "team").map((n) => [n.id, n.name]));
    await this.deliver(
      people.map((p) => ({
        userId: p.userId, kind: "mention" as const, conversationId, messageId, actorId: authorId,
        data: () => ({ actor, contact, preview: excerpt(m.text), ...(p.teamId !== null ? { team: teams.get(p.teamId) } : {}) }),
      })),
    );
  }

  /** A customer wrote in a conversation someone holds: one unread item per conversation, counting. */
  async onCustomerMessage(messageId: number, conversationId: number, text: string | undefined): Promise<void> {
    const conv = getConversation(this.d.db, conversationId);
    if (!conv?.assignee_id) return;
    const preview = excerpt(text ?? getMessage(this.d.db, messageId)?.text);
    const contact = contactName(this.d.db, conv.contact_id) ?? undefined;
    await this.deliver([{
      userId: conv.assignee_id, kind: "message", conversationId, messageId, dedupe: `message:${conversationId}`,
      data: (previous) => ({ contact, preview, count: (previous?.count ?? 0) + 1 }),
    }]);
  }

  /** Someone (or routing) gave a conversation to a person other than themselves. */
  async onAssigned(conversationId: number, actorId: number | null | undefined): Promise<void> {
    const conv = getConversation(this.d.db, conversationId);
    if (!conv?.assignee_id || conv.assignee_id === actorId) return;
    const actor = actorId ? this.d.users.byId(actorId)?.name : undefined;
    const contact = contactName(this.d.db, conv.contact_id) ?? undefined;
    await this.deliver([{ userId: conv.assignee_id, kind: "assigned", conversationId, actorId: actorId ?? null, data: () => ({ actor, contact, preview: excerpt(conv.last_preview) }) }]);
  }

  /**
   * A target was missed and recorded (pipeline/sla-breach.ts): the team's supervisors are told (all
   * supervisors for a conversation without a team); its holder hears it from the SLA timer.
   */
  async onBreach(conversationId: number, target: string, teamId: number | null): Promise<void> {
    const conv = getConversation(this.d.db, conversationId);
    if (!conv) return;
    const contact = contactName(this.d.db, conv.contact_id) ?? undefined;
    const supervisors = this.d.users.list().filter((u) => u.role === "supervisor" && u.id !== conv.assignee_id && (teamId === null || this.d.users.teamIds(u.id).includes(teamId)));
    await this.deliver(supervisors.map((u) => ({
      userId: u.id, kind: "sla" as const, conversationId, dedupe: `sla:${conversationId}:${target}:breach`, once: true,
      data: () => ({ contact, target, level: "red" as const, preview: excerpt(conv.last_preview) }),
    })));
  }

  /** Each channel's last known state, so only a change into trouble tells the admins. */
  private channelState = new Map<number, string>();

  rememberChannel(id: number): void {
    this.channelState.set(id, channelTrouble(this.d.db, id));
  }

  async onChannel(channelId: number): Promise<void> {
    const state = channelTrouble(this.d.db, channelId);
    const before = this.channelState.get(channelId);
    this.channelState.set(channelId, state);
    if (state === "ok" || state === before) return;
    const channel = this.d.channelName(channelId) ?? undefined;
    const admins = this.d.users.list().filter((u) => u.role === "admin");
    await this.deliver(admins.map((u) => ({ userId: u.id, kind: "channel" as const, channelId, data: () => ({ channel, status: state }) })));
  }
}

const failedTo = (log: Logger) => (what: string) => (err: unknown) => log("error", "notification failed", { what, error: String((err as Error)?.stack ?? err) });

/**
 * Starts listening to what this instance commits; the returned function stops it. The timers
 * (startNotificationTimers) run once across instances, on the leader.
 */
export function startNotifications(d: NotifyDeps, channelIds: number[]): { notifier: Notifier; stop: () => void } {
  const notifier = new Notifier(d);
  for (const id of channelIds) notifier.rememberChannel(id);
  const failed = failedTo(d.log);
  const offs = [
    d.events.on("message.created", (e) => {
      if (e.private && e.direction === "out") void notifier.onNote(e.messageId, e.conversationId).catch(failed("mention"));
      // Known unassigned at write time (most of a sales peak): no one to tell, nothing to read.
      else if (e.direction === "in" && !e.private && !e.automatic && e.assigneeId !== null) void notifier.onCustomerMessage(e.messageId, e.conversationId, e.text).catch(failed("message"));
    }),
    d.events.on("conversation.updated", (e) => {
      if (e.changes.includes("assignee_id")) void notifier.onAssigned(e.conversationId, e.actorId).catch(failed("assigned"));
    }),
    d.events.on("channel.updated", (e) => void notifier.onChannel(e.channelId).catch(failed("channel"))),
    d.events.on("sla.breached", (e) => void notifier.onBreach(e.conversationId, e.target, e.teamId).catch(failed("sla"))),
  ];
  return {
    notifier,
    stop: () => {
      for (const off of offs) off();
    },
  };
}

/** The SLA timer and the pruning of read notifications; the returned function stops both. */
export function startNotificationTimers(d: NotifyDeps, notifier: Notifier): () => void {
  const stopSla = watchSla({ db: d.db, deliver: (items) => notifier.deliver(items), everyMs: d.slaCheckMs ?? 60_000, log: d.log });
  const stopPruning = every(PRUNE_EVERY_MS, () => d.writer.submit((tx) => pruneReadNotifications(tx, tx.now - KEEP_READ_MS)), failedTo(d.log)("prune"));
  return () => {
    stopSla();
    stopPruning();
  };
}
