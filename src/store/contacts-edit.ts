// A person's change to a customer, the same from the contact panel and from the REST API: the
// change and its audit row in one transaction, and the conversations that show the contact's
// name told to redraw (the newest first; older ones redraw when opened).
import type { Tx } from "./writer.ts";
import { updateContact, mergeContacts, type ContactPatch } from "./contacts.ts";
import { recentConversationsOf } from "./conversations.ts";
import { auditAction } from "./audit.ts";

const NAME_REFRESH_LIMIT = 50;

function touchConversations(tx: Tx, contactId: number) {
  for (const { id } of recentConversationsOf(tx.db, contactId, NAME_REFRESH_LIMIT)) tx.emit({ type: "conversation.updated", conversationId: id, changes: ["contact"] });
}

/** `changed` names the fields the audit row lists; `via` says where the change came from when not the panel. */
export function editContact(tx: Tx, contactId: number, patch: ContactPatch, by: { userId: number; changed: string[]; via?: "api" }): boolean {
  if (!updateContact(tx, contactId, patch)) return false;
  auditAction(tx, by.userId, "contact.updated", { type: "contact", id: contactId }, {
    changed: by.changed,
    attributes: patch.attributes ? Object.keys(patch.attributes) : undefined,
    removed: patch.removeAttributes,
    via: by.via,
  });
  if (patch.name !== undefined) touchConversations(tx, contactId);
  return true;
}

/** `otherId` folds into `survivorId`; panels still showing the merged-away profile redraw as the survivor. */
export function mergeContactsBy(tx: Tx, survivorId: number, otherId: number, userId: number): boolean {
  if (!mergeContacts(tx, survivorId, otherId, { actorType: "user", actorId: userId })) return false;
  touchConversations(tx, survivorId);
  tx.emit({ type: "contact.updated", contactId: otherId });
  return true;
}
