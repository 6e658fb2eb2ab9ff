// What the contact panel beside an open conversation shows, and which conversation a panel
// request names. Apart from the routes (contact.ts, contact-edit.ts) that both draw it.
import type { Context } from "hono";
import type { Pano } from "../../../pano.ts";
import type { PageEnv } from "../../view-context.ts";
import type { Viewer } from "../../../domain/conversation.ts";
import type { ConversationRow } from "../../../store/conversations.ts";
import { getContact, identitiesOf } from "../../../store/contacts.ts";
import { PanoError } from "../../../domain/errors.ts";
import type { ContactPanelData } from "../../../../views/contact/panel.tsx";
import { visibleTo } from "./conversation-data.ts";
import { formOf } from "./contact-form.ts";
import { latestInboundMeta } from "../../../store/message-meta.ts";
import { channelKind, hasChannelKind } from "../../../channels/registry.ts";
import { canPlaceCalls } from "./dial.ts";
import { historyPage } from "./customer-history.ts";

/** The conversation's kind reads its latest customer message's meta (a website visitor's page and browser). */
function customerContextOf(pano: Pano, conv: ConversationRow): ContactPanelData["context"] {
  const type = pano.channels.get(conv.channel_id)?.type;
  const kind = type && hasChannelKind(type) ? channelKind(type) : null;
  const meta = kind?.customerContext ? latestInboundMeta(pano.store.sqlite, conv.id) : null;
  return meta ? kind!.customerContext!(meta).map((f) => ({ ...f, type: type! })) : [];
}

export function loadContactPanel(pano: Pano, viewer: Viewer, conv: ConversationRow): ContactPanelData {
  const db = pano.store.sqlite;
  const k = getContact(db, conv.contact_id);
  if (!k) throw new PanoError("not_found", "Contact not found");
  const attrs = formOf(k).attrs;
  return {
    id: k.id, conversationId: conv.id, name: k.name, avatarUrl: k.avatar_url, phone: k.phone, email: k.email, attributes: attrs,
    identities: identitiesOf(db, k.id).map((i) => ({ channelType: i.channel_type, channelName: pano.channels.get(i.channel_id)?.name ?? "", externalId: i.external_id, follows: i.follows })),
    context: customerContextOf(pano, conv),
    canDial: canPlaceCalls(pano),
    surveysStopped: !!k.surveys_stopped_at,
    history: historyPage(pano, viewer, k.id, "panel", null, conv.id),
  };
}

/**
 * The conversation a panel request names (?c=), which the viewer must see, and whose contact must be
 * the one in the path; a profile merged away since the panel was drawn answers as its survivor.
 */
export function panelConversation(pano: Pano, c: Context<PageEnv>): ConversationRow {
  const conv = visibleTo(pano, c, c.req.query("c"));
  const id = c.req.param("id");
  if (String(conv.contact_id) === id) return conv;
  const k = id && /^\d+$/.test(id) ? getContact(pano.store.sqlite, Number(id)) : null;
  if (k?.merged_into !== conv.contact_id) throw new PanoError("not_found", "Contact not found");
  return conv;
}
