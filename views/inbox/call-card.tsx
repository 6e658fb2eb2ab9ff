// The incoming-call card: shown over the inbox while a customer's call rings, to the agents who
// may take it, so whoever picks up already knows who is calling and what is open with them.
import type { ViewContext } from "../context.ts";
import { Icon } from "../layout.tsx";
import type { MessageKey } from "../i18n/index.ts";
import { channelLabel } from "./list.tsx";
import { formatWait } from "../i18n/index.ts";

export interface CallCardData {
  messageId: number;
  /** The conversation the card opens (the call's own, or the caller's one the viewer may see). */
  conversationId: number;
  /** The caller's full profile (every conversation and call on every channel). */
  contactId: number;
  name: string | null;
  phone: string | null;
  channelTypes: string[];
  /** The viewer owns the caller's latest open conversation: their card comes first. */
  mine: boolean;
  open: { id: number; channelType: string; preview: string | null; lastMessageAt: number; intent: string | null }[];
}

export function CallCard(props: { ctx: ViewContext; card: CallCardData }) {
  const { ctx, card } = props;
  const t = ctx.t;
  const who = card.name || card.phone || t("call.card.unknown");
  return (
    <section id={`call-card-${card.messageId}`} class={`call-card${card.mine ? " mine" : ""}`} role="alertdialog" aria-labelledby={`call-card-${card.messageId}-h`} data-call={card.messageId} data-mine={card.mine ? "1" : undefined}>
      <h2 id={`call-card-${card.messageId}-h`}><Icon name="phone" /> {t("call.incoming_from", { name: who })}</h2>
      <dl>
        <dt>{t("call.card.phone")}</dt>
        <dd><a href={`tel:${card.phone ?? ""}`}>{card.phone ?? "—"}</a></dd>
        <dt>{t("call.card.channels")}</dt>
        <dd class="channels">{card.channelTypes.map((type) => <span class="tag"><Icon name={type} /> {channelLabel(ctx, type)}</span>)}</dd>
      </dl>
      <h3>{t("call.card.open")}</h3>
      {card.open.length ? (
        <ul class="open-conversations">
          {card.open.map((o) => (
            <li>
              <a href={`/inbox?c=${o.id}`}><Icon name={o.channelType} label={channelLabel(ctx, o.channelType)} /> {o.preview ?? ""}</a>
              {o.intent && o.intent !== "other" ? <span class={`tag intent intent-${o.intent}`}>{t(`intent.${o.intent}` as MessageKey)}</span> : null}
              <span class="muted"> · {formatWait(o.lastMessageAt, ctx.now, t)}</span>
            </li>
          ))}
        </ul>
      ) : <p class="muted">{t("call.card.none_open")}</p>}
      <p class="call-card-actions">
        <a class="button primary" href={`/contacts/${card.contactId}`}>{t("call.card.profile")}</a>
        <a class="button" href={`/inbox?c=${card.conversationId}#note`} data-call-note="">{t("call.card.note")}</a>
        <button type="button" class="link" data-dismiss-call="">{t("common.close")}</button>
      </p>
    </section>
  );
}
