// Who the customer is: name, avatar, phone, email, the channels they write from, attributes,
// and their other conversations on any channel.
import type { ViewContext } from "../context.ts";
import { Avatar, Icon } from "../layout.tsx";
import { type MessageKey } from "../i18n/index.ts";
import { formatDateTime } from "../inbox/time.ts";
import { channelLabel } from "../inbox/list.tsx";

export interface ContactPanelData {
  id: number;
  name: string | null;
  avatarUrl: string | null;
  phone: string | null;
  email: string | null;
  identities: { channelType: string; channelName: string; externalId: string; follows: number | null }[];
  attributes: [string, string][];
  conversations: { id: number; channelType: string; status: string; preview: string; lastMessageAt: number; current: boolean }[];
}

export function ContactPanel(props: { ctx: ViewContext; d: ContactPanelData; oob?: boolean }) {
  const { ctx, d } = props;
  const t = ctx.t;
  const name = d.name || t("inbox.unknown_contact");
  return (
    <aside id="contact-pane" class="pane pane-contact" aria-label={t("contact.pane")} hx-swap-oob={props.oob ? "outerHTML" : undefined}>
      <section class="contact-card" aria-labelledby="contact-name">
        <header>
          {d.avatarUrl && /^https?:\/\//.test(d.avatarUrl) ? <img class="avatar-img" src={d.avatarUrl} alt="" referrerpolicy="no-referrer" /> : <Avatar name={name} />}
          <h2 id="contact-name">{name}</h2>
          <button type="button" class="contact-toggle icon-button close" data-toggle-contact="" aria-label={t("common.close")}>×</button>
        </header>
        <dl>
          <dt>{t("contact.phone")}</dt>
          <dd>{d.phone ? <a href={`tel:${d.phone}`}>{d.phone}</a> : <span class="muted">{t("common.none")}</span>}</dd>
          <dt>{t("contact.email")}</dt>
          <dd>{d.email ? <a href={`mailto:${d.email}`}>{d.email}</a> : <span class="muted">{t("common.none")}</span>}</dd>
        </dl>
        <h3>{t("contact.channels")}</h3>
        <ul class="identities">
          {d.identities.map((i) => (
            <li>
              <Icon name={i.channelType} /> {channelLabel(ctx, i.channelType)} · {i.channelName} <span class="muted">({i.externalId})</span>
              {i.follows === 0 ? <span class="tag"> {t("contact.unfollowed")}</span> : null}
            </li>
          ))}
        </ul>
        {d.attributes.length ? (
          <>
            <h3>{t("contact.attributes")}</h3>
            <dl>
              {d.attributes.map(([k, v]) => (
                <>
                  <dt>{k}</dt>
                  <dd>{v}</dd>
                </>
              ))}
            </dl>
          </>
        ) : null}
        <h3>{t("contact.conversations")}</h3>
        <ul class="history">
          {d.conversations.map((c) => (
            <li>
              {c.current ? (
                <span aria-current="true"><Icon name={c.channelType} /> {t("contact.this_conversation")}</span>
              ) : (
                <a href={`/inbox?c=${c.id}&status=all`} hx-get={`/conversations/${c.id}`} hx-target="#conversation" hx-push-url={`/inbox?c=${c.id}&status=all`}>
                  <Icon name={c.channelType} /> {c.preview || `#${c.id}`}
                </a>
              )}
              <span class="muted"> · {t(`status.${c.status}` as MessageKey)} · {formatDateTime(c.lastMessageAt, ctx.lang, ctx.timeZone)}</span>
            </li>
          ))}
        </ul>
      </section>
    </aside>
  );
}
