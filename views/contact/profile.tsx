// The customer's full-page profile (/contacts/:id): who they are, the channels they use, and
// their whole history on every channel in one list, newest first, each conversation unfolding in
// place. Reached from the contact panel, the search results and an incoming call.
import type { ViewContext } from "../context.ts";
import { Avatar, Icon, Layout } from "../layout.tsx";
import { formatDateTime } from "../inbox/time.ts";
import { channelLabel } from "../inbox/list.tsx";
import { CustomerHistory, type HistoryPage } from "./history.tsx";
import { AttributeList } from "./attributes.tsx";

export interface ProfileData {
  id: number;
  name: string | null;
  avatarUrl: string | null;
  phone: string | null;
  email: string | null;
  createdAt: number;
  identities: { channelType: string; channelName: string; externalId: string }[];
  attributes: [string, string][];
  history: HistoryPage;
  /** Admins and supervisors: a link to the suggested duplicates. */
  showDuplicates: boolean;
}

export function ProfilePage(props: { ctx: ViewContext; d: ProfileData }) {
  const { ctx, d } = props;
  const t = ctx.t;
  const ht = ctx.t;
  const name = d.name || t("inbox.unknown_contact");
  return (
    <Layout ctx={ctx} title={`${name} · ${ht("history.profile")}`} area="inbox" bodyClass="profile-page">
      <div class="customer-profile" data-contact={d.id}>
        <aside class="profile-card" aria-labelledby="profile-name">
          <p><a href="/inbox"><Icon name="back" /> {ht("history.back")}</a></p>
          <header>
            {d.avatarUrl && /^https?:\/\//.test(d.avatarUrl) ? <img class="avatar-img" src={d.avatarUrl} alt="" referrerpolicy="no-referrer" /> : <Avatar name={name} />}
            <h1 id="profile-name">{name}</h1>
          </header>
          <p class="muted">{ht("history.since", { date: formatDateTime(d.createdAt, ctx.lang, ctx.timeZone) })}</p>
          <dl class="contact-details">
            <dt>{t("contact.phone")}</dt>
            <dd>{d.phone ? <a href={`tel:${d.phone}`}>{d.phone}</a> : <span class="muted">{t("common.none")}</span>}</dd>
            <dt>{t("contact.email")}</dt>
            <dd>{d.email ? <a href={`mailto:${d.email}`}>{d.email}</a> : <span class="muted">{t("common.none")}</span>}</dd>
          </dl>
          <h2>{t("contact.channels")}</h2>
          <ul class="identities">
            {d.identities.map((i) => (
              <li><Icon name={i.channelType} /> {channelLabel(ctx, i.channelType)} · {i.channelName} <span class="muted">({i.externalId})</span></li>
            ))}
          </ul>
          <AttributeList ctx={ctx} attributes={d.attributes} heading="h2" />
          {d.showDuplicates ? <p><a href="/contacts/duplicates">{ht("history.duplicates_link")}</a></p> : null}
          <p><button type="button" id="profile-new-message-button" hx-get={`/contacts/${d.id}/new-message?in=profile`} hx-target="#profile-new-message" hx-swap="outerHTML"><Icon name="send" /> {t("outreach.new_message")}</button></p>
          <div id="profile-new-message"></div>
        </aside>
        <section class="profile-history">
          <h2 id="history-h">{ht("history.timeline")}</h2>
          <CustomerHistory ctx={ctx} place="page" page={d.history} headingId="history-h" />
        </section>
      </div>
    </Layout>
  );
}
