// What happened, as the rest of Pano hears about it after a commit: the store's writer collects
// these inside a transaction, the pipeline's bus delivers them once it is on disk.
// message.created may carry the stored text and time, so after-commit readers need not query them back.
export type DomainEvent =
  | { type: "message.created"; messageId: number; conversationId: number; channelId: number; contactId: number; direction: "in" | "out"; private: boolean; automatic: boolean; isNewContact?: boolean; attachments?: number; text?: string; at?: number; assigneeId?: number | null }
  | { type: "message.updated"; messageId: number; conversationId: number }
  | { type: "conversation.opened"; conversationId: number; contactId: number; channelId: number; reopened: boolean }
  | { type: "conversation.updated"; conversationId: number; changes: string[]; actorId?: number | null }
  | { type: "contact.created"; contactId: number; channelId: number; externalId: string }
  | { type: "contact.updated"; contactId: number }
  | { type: "channel.updated"; channelId: number }
  | { type: "outbox.queued"; messageId: number }
  /** A call item changed: `ringing` while it still rings (an incoming-call card shows), false once answered or ended. */
  | { type: "call.updated"; messageId: number; conversationId: number; contactId: number; ringing: boolean }
  /** A call item's record says the call is over (once per call): outgoing webhooks' call.ended. */
  | { type: "call.ended"; messageId: number; conversationId: number; contactId: number }
  /** Someone is to be told something now (notifications): their bell refreshes; `alert` is shown by a background tab. */
  | { type: "notification.created"; userId: number; notificationId: number | null; conversationId?: number | null; alert?: { title: string; body: string; url: string; tag: string } }
  /** A conversation missed an SLA target (recorded once per target and due time; its policy's actions applied). */
  | { type: "sla.breached"; conversationId: number; target: "first_response" | "next_response" | "resolution"; teamId: number | null; assigneeId: number | null };

export type EventType = DomainEvent["type"];
