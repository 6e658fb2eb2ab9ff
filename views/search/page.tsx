// The search screen: one box and filters above results grouped by customer, then conversation,
// each hit a snippet with the match marked; opening one jumps to that message in its timeline.
import { raw } from "hono/html";
import type { ViewContext } from "../context.ts";
import { Layout } from "../layout.tsx";
import type { MessageKey } from "../i18n/index.ts";
import { channelLabel } from "../inbox/list.tsx";
import { formatDateTime } from "../inbox/time.ts";

export interface SearchForm {
  q: string;
  channel_id?: string;
  status?: string;
  team_id?: string;
  from?: string;
  to?: string;
  has_attachment?: string;
  sort?: string;
}

export interface HitView {
  messageId: number | null;
  /** Already HTML: escaped text with <mark> around the match (domain/search.ts markSnippet). */
  snippet: string;
  createdAt: number;
  private: boolean;
}

export interface ConversationGroup {
  id: number | null;
  channel: { name: string; type: string } | null;
  status: string | null;
  hits: HitView[];
}

export interface CustomerGroup {
  contactId: number;
  name: string;
  conversations: ConversationGroup[];
}

const STATUSES = ["all", "open", "pending", "snoozed", "resolved"] as const;

/** The jump: the inbox with the conversation open, the message loaded, scrolled to and highlighted. */
export const hitHref = (conversationId: number, messageId: number | null) =>
  messageId ? `/inbox?c=${conversationId}&m=${messageId}#msg-${messageId}` : `/inbox?c=${conversationId}`;

function Filters(props: { ctx: ViewContext; f: SearchForm; channels: { id: number; name: string; type: string }[]; teams: { id: number; name: string }[] }) {
  const { ctx, f } = props;
  const t = ctx.t;
  return (
    <form id="search-form" class="filters search-filters" role="search" method="get" action="/search" aria-label={t("search.title")}>
      <label for="search" class="visually-hidden">{t("common.search")}</label>
      <input id="search" type="search" name="q" value={f.q} placeholder={t("search.placeholder")} autocomplete="off" autofocus={!f.q} />
      <label class="visually-hidden" for="s-channel">{t("inbox.channel")}</label>
      <select id="s-channel" name="channel_id">
        <option value="">{t("inbox.any_channel")}</option>
        {props.channels.map((c) => <option value={c.id} selected={f.channel_id === String(c.id)}>{`${c.name} (${channelLabel(ctx, c.type)})`}</option>)}
      </select>
      <label class="visually-hidden" for="s-status">{t("inbox.status")}</label>
      <select id="s-status" name="status">
        {STATUSES.map((s) => <option value={s} selected={(f.status || "all") === s}>{t(`status.${s}` as MessageKey)}</option>)}
      </select>
      {props.teams.length ? (
        <>
          <label class="visually-hidden" for="s-team">{t("inbox.team")}</label>
          <select id="s-team" name="team_id">
            <option value="">{t("inbox.any_team")}</option>
            {props.teams.map((x) => <option value={x.id} selected={f.team_id === String(x.id)}>{x.name}</option>)}
          </select>
        </>
      ) : null}
      <label>{t("search.from")} <input type="date" name="from" value={f.from ?? ""} /></label>
      <label>{t("search.to")} <input type="date" name="to" value={f.to ?? ""} /></label>
      <label><input type="checkbox" name="has_attachment" value="true" checked={f.has_attachment === "true"} /> {t("search.has_attachment")}</label>
      <label class="visually-hidden" for="s-sort">{t("search.sort")}</label>
      <select id="s-sort" name="sort">
        <option value="newest" selected={f.sort !== "relevance"}>{t("search.sort.newest")}</option>
        <option value="relevance" selected={f.sort === "relevance"}>{t("search.sort.relevance")}</option>
      </select>
      <button type="submit">{t("common.search")}</button>
    </form>
  );
}

export function SearchPage(props: {
  ctx: ViewContext; f: SearchForm; error: string | null; groups: CustomerGroup[] | null; next: string | null; nextQuery: string;
  channels: { id: number; name: string; type: string }[]; teams: { id: number; name: string }[];
}) {
  const { ctx, groups } = props;
  const t = ctx.t;
  const when = (ms: number) => formatDateTime(ms, ctx.lang, ctx.timeZone);
  return (
    <Layout ctx={ctx} title={props.f.q ? `${props.f.q} · ${t("search.title")}` : t("search.title")} area="inbox">
      <div class="search-page">
        <h1>{t("search.title")}</h1>
        <Filters ctx={ctx} f={props.f} channels={props.channels} teams={props.teams} />
        <p class="muted">{t("search.hint")}</p>
        {props.error ? <p class="form-error" role="alert">{props.error}</p> : null}
        {groups && !groups.length ? <p class="empty">{t("search.empty")}</p> : null}
        {groups?.length ? (
          <section id="search-results" aria-label={t("search.results")}>
            {groups.map((g) => (
              <section class="search-customer" data-contact={g.contactId}>
                <h2><a href={`/contacts/${g.contactId}`}>{g.name}</a></h2>
                {g.conversations.map((cv) => (
                  <div class="search-conversation" data-conversation={cv.id ?? undefined}>
                    <p class="muted">
                      {cv.channel ? `${cv.channel.name} (${channelLabel(ctx, cv.channel.type)})` : t("search.no_conversation")}
                      {cv.status ? ` · ${t(`status.${cv.status}` as MessageKey)}` : ""}
                    </p>
                    <ul class="search-hits">
                      {cv.hits.map((h) => (
                        <li>
                          {cv.id ? (
                            <a class="search-hit" href={hitHref(cv.id, h.messageId)} data-mid={h.messageId ?? undefined}>
                              <span class="snippet">{raw(h.snippet)}</span>
                              <span class="muted">
                                {h.messageId ? when(h.createdAt) : t("search.customer_match")}
                                {h.private ? ` · ${t("search.note")}` : ""}
                              </span>
                            </a>
                          ) : (
                            <span class="search-hit"><span class="snippet">{raw(h.snippet)}</span> <span class="muted">{t("search.customer_match")}</span></span>
                          )}
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
              </section>
            ))}
          </section>
        ) : null}
        {props.next ? <p><a class="button" href={`/search?${props.nextQuery}`}>{t("search.more")}</a></p> : null}
      </div>
    </Layout>
  );
}
