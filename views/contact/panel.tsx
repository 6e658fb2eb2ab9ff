// Who the customer is: name, avatar, phone, email, the channels they write from, attributes,
// and their other conversations on any channel. The agent edits the details in place and merges
// a second profile of the same person into this one (modes "edit" and "merge").
import { DialButton } from "./dial.tsx";
import type { ViewContext } from "../context.ts";
import { Avatar, Icon } from "../layout.tsx";
import { channelLabel } from "../inbox/list.tsx";
import { ContactEditForm, type ContactForm } from "./edit-form.tsx";
import { MergeBox, type MergeState } from "./merge.tsx";
import { panelUrls } from "./urls.ts";
import { label } from "../settings/channels.tsx";
import { CustomerHistory, type HistoryPage } from "./history.tsx";
import { AttributeList } from "./attributes.tsx";

export interface ContactPanelData {
  id: number;
  /** The conversation the panel sits beside (see urls.ts). */
  conversationId: number;
  name: string | null;
  avatarUrl: string | null;
  phone: string | null;
  email: string | null;
  identities: { channelType: string; channelName: string; externalId: string; follows: number | null }[];
  attributes: [string, string][];
  /** What the conversation's channel knows of the customer's situation now; `label` a key of that kind's messages. */
  context?: { type: string; label: string; value: string }[];
  /** Every conversation and call of the customer the viewer may see, newest first (customer-history.ts). */
  history: HistoryPage;
  /** A channel can place calls: the phone line offers "Gọi điện". */
  canDial?: boolean;
  /** The customer asked for no more satisfaction surveys (docs/csat.md). */
  surveysStopped?: boolean;
}

export type PanelMode =
  /** focus: the agent just saved, merged or cancelled; the keyboard lands back on "edit". */
  | { kind: "view"; notice?: string; focus?: boolean; samePerson?: { id: number; name: string | null }[] }
  | { kind: "edit"; form: ContactForm; error?: { field: string; message: string }; focusLast?: boolean }
  | { kind: "merge"; merge: MergeState };

export function ContactPanel(props: { ctx: ViewContext; d: ContactPanelData; oob?: boolean; mode?: PanelMode }) {
  const { ctx, d } = props;
  const t = ctx.t;
  const mode = props.mode ?? { kind: "view" };
  const name = d.name || t("inbox.unknown_contact");
  const urls = panelUrls(d);
  return (
    <aside id="contact-pane" class="pane pane-contact" aria-label={t("contact.pane")} data-contact={d.id} hx-swap-oob={props.oob ? "outerHTML" : undefined}>
      <section class="contact-card" aria-labelledby="contact-name">
        {mode.kind === "view" && mode.notice ? <p class="notice contact-notice" role="status">{mode.notice}</p> : null}
        {mode.kind === "view" ? mode.samePerson?.map((o) => (
          <div class="merge-suggest" role="status">
            <p>{t("contact.same_person", { name: o.name || t("inbox.unknown_contact") })}</p>
            <button type="button" hx-get={`${urls.confirm}&other=${o.id}`} hx-target="#contact-pane" hx-swap="outerHTML">{t("contact.merge_review")}</button>
          </div>
        )) : null}
        {/* Another agent's edit or merge re-renders this part (not the notice) while it is only being read;
            htmx keeps the focus on a control with the same id. */}
        <div id="contact-live">
          {mode.kind === "view" ? <span hidden hx-get={urls.panel} hx-trigger={`sse:contact-${d.id}`} hx-select="#contact-live" hx-target="#contact-live" hx-swap="outerHTML" /> : null}
          <header>
            {d.avatarUrl && /^https?:\/\//.test(d.avatarUrl) ? <img class="avatar-img" src={d.avatarUrl} alt="" referrerpolicy="no-referrer" /> : <Avatar name={name} />}
            <h2 id="contact-name">{name}</h2>
            <button type="button" class="contact-toggle icon-button close" data-toggle-contact="" aria-label={t("common.close")}>×</button>
          </header>
          <p class="contact-profile-link"><a href={`/contacts/${d.id}`}>{t("history.open_profile")}</a></p>
          {mode.kind === "edit" ? <ContactEditForm ctx={ctx} d={d} form={mode.form} error={mode.error} focusLast={mode.focusLast} /> : <Details ctx={ctx} d={d} />}
          {mode.kind === "view" ? (
            <div class="contact-actions">
              <button type="button" id="contact-edit-button" hx-get={urls.edit} hx-target="#contact-pane" hx-swap="outerHTML" autofocus={!!mode.focus}>{t("contact.edit")}</button>
              <button type="button" id="contact-merge-button" hx-get={urls.merge} hx-target="#contact-pane" hx-swap="outerHTML">{t("contact.merge")}</button>
              <button type="button" id="contact-new-message" hx-get={`/contacts/${d.id}/new-message?c=${d.conversationId}`} hx-target="#contact-pane" hx-swap="outerHTML"><Icon name="send" /> {t("outreach.new_message")}</button>
            </div>
          ) : null}
          {mode.kind === "merge" ? <MergeBox ctx={ctx} d={d} state={mode.merge} /> : null}
          {d.context?.length ? (
            <>
              <h3>{t("contact.context")}</h3>
              <dl class="contact-context">
                {d.context.map((f) => (
                  <>
                    <dt>{label(ctx, `${f.type}.${f.label}`, f.label)}</dt>
                    <dd class="break">{f.value}</dd>
                  </>
                ))}
              </dl>
            </>
          ) : null}
          <h3>{t("contact.channels")}</h3>
          <ul class="identities">
            {d.identities.map((i) => (
              <li>
                <Icon name={i.channelType} /> {channelLabel(ctx, i.channelType)} · {i.channelName} <span class="muted">({i.externalId})</span>
                {i.follows === 0 ? <span class="tag"> {t("contact.unfollowed")}</span> : null}
              </li>
            ))}
          </ul>
          <h3 id="contact-history-h">{t("contact.conversations")}</h3>
          <CustomerHistory ctx={ctx} place="panel" page={d.history} headingId="contact-history-h" />
        </div>
      </section>
    </aside>
  );
}

function Details(props: { ctx: ViewContext; d: ContactPanelData }) {
  const { ctx, d } = props;
  const t = ctx.t;
  return (
    <>
      <dl class="contact-details">
        <dt>{t("contact.phone")}</dt>
        <dd>
          {d.phone ? <a href={`tel:${d.phone}`}>{d.phone}</a> : <span class="muted">{t("common.none")}</span>}
          {d.phone && d.canDial ? <DialButton ctx={ctx} contactId={d.id} place="panel" /> : null}
        </dd>
        <dt>{t("contact.email")}</dt>
        <dd>{d.email ? <a href={`mailto:${d.email}`}>{d.email}</a> : <span class="muted">{t("common.none")}</span>}</dd>
      </dl>
      {d.surveysStopped ? <p class="muted surveys-stopped">{t("csat.contact.stopped")}</p> : null}
      <AttributeList ctx={ctx} attributes={d.attributes} heading="h3" />
    </>
  );
}
