// The agent's screen: list | conversation | contact. On a phone only one pane shows at a time.
import type { Child } from "hono/jsx";
import type { ViewContext } from "../context.ts";
import { Layout, asset } from "../layout.tsx";
import type { MessageKey } from "../i18n/index.ts";
import { RowsPage, channelLabel, type InboxFilters, type ListRow } from "./list.tsx";
import { Shortcuts } from "./shortcuts.tsx";

export interface FilterOptions {
  channels: { id: number; name: string; type: string }[];
  teams: { id: number; name: string }[];
  labels: string[];
}

const STATUSES = ["open", "pending", "snoozed", "resolved", "all"] as const;
const PRIORITIES = ["urgent", "high", "normal", "low"] as const;

function Filters(props: { ctx: ViewContext; f: InboxFilters; options: FilterOptions }) {
  const { ctx, f, options } = props;
  const t = ctx.t;
  const scopes = [["all", "inbox.scope.all"], ["mine", "inbox.scope.mine"], ["unassigned", "inbox.scope.unassigned"]] as const;
  return (
    <form id="filters" class="filters" role="search" method="get" action="/inbox"
      hx-get="/inbox/list" hx-target="#conv-list" hx-trigger="change, input delay:300ms from:#search" aria-label={t("inbox.filters")}>
      <fieldset class="scopes">
        <legend class="visually-hidden">{t("inbox.scope")}</legend>
        {scopes.map(([v, key]) => (
          <label class="scope">
            <input type="radio" name="scope" value={v} checked={f.scope === v} />
            <span>{t(key)}</span>
          </label>
        ))}
      </fieldset>
      <label for="search" class="visually-hidden">{t("common.search")}</label>
      <input id="search" type="search" name="q" value={f.q ?? ""} placeholder={t("inbox.search_placeholder")} autocomplete="off" />
      <a class="search-all" href="/search">{t("search.all_messages")}</a>
      <label class="visually-hidden" for="f-status">{t("inbox.status")}</label>
      <select id="f-status" name="status">
        {STATUSES.map((s) => <option value={s} selected={f.status === s}>{t(`status.${s}` as MessageKey)}</option>)}
      </select>
      <label class="visually-hidden" for="f-channel">{t("inbox.channel")}</label>
      <select id="f-channel" name="channel">
        <option value="">{t("inbox.any_channel")}</option>
        {options.channels.map((c) => <option value={c.id} selected={f.channel === c.id}>{`${c.name} (${channelLabel(ctx, c.type)})`}</option>)}
      </select>
      {options.teams.length ? (
        <>
          <label class="visually-hidden" for="f-team">{t("inbox.team")}</label>
          <select id="f-team" name="team">
            <option value="">{t("inbox.any_team")}</option>
            {options.teams.map((x) => <option value={x.id} selected={f.team === x.id}>{x.name}</option>)}
          </select>
        </>
      ) : null}
      <label class="visually-hidden" for="f-priority">{t("inbox.priority")}</label>
      <select id="f-priority" name="priority">
        <option value="">{t("inbox.any_priority")}</option>
        {PRIORITIES.map((p) => <option value={p} selected={f.priority === p}>{t(`priority.${p}` as MessageKey)}</option>)}
      </select>
      {options.labels.length || f.label ? (
        <>
          <label class="visually-hidden" for="f-label">{t("inbox.label")}</label>
          <select id="f-label" name="label">
            <option value="">{t("inbox.any_label")}</option>
            {[...new Set([...(f.label ? [f.label] : []), ...options.labels])].map((l) => <option value={l} selected={f.label === l}>#{l}</option>)}
          </select>
        </>
      ) : null}
      <button type="submit" class="js-hidden">{t("inbox.apply")}</button>
    </form>
  );
}

export function InboxPage(props: {
  ctx: ViewContext; f: InboxFilters; query: string; options: FilterOptions; rows: ListRow[]; next: string | null;
  openId?: number; conversation?: Child; contact?: Child;
  /** The live stream's position when the page was made (/live?last=): nothing in between is missed. */
  liveSince?: string;
}) {
  const { ctx } = props;
  const t = ctx.t;
  return (
    <Layout ctx={ctx} title={t("nav.inbox")} area="inbox" bodyClass="inbox-body">
      <div id="inbox" class={`inbox${props.openId ? " has-open" : ""}`} hx-ext="sse" sse-connect="/live" hx-trigger="sse:pano" data-live-since={props.liveSince}>
        <section class="pane pane-list" aria-labelledby="list-h">
          <h1 id="list-h" class="visually-hidden">{t("inbox.list_title")}</h1>
          <Filters ctx={ctx} f={props.f} options={props.options} />
          <ul id="conv-list" class="conv-list" aria-label={t("inbox.list_title")} data-query={props.query}>
            <RowsPage ctx={ctx} rows={props.rows} next={props.next} query={props.query} selectedId={props.openId} first />
          </ul>
        </section>
        <section id="conversation" class="pane pane-conversation" aria-label={t("conv.pane")}>
          {props.conversation ?? <p class="empty">{t("inbox.pick")}</p>}
        </section>
        {/* The panel is its own aside#contact-pane (live swaps replace it whole); never nest it. */}
        {props.contact ?? <aside id="contact-pane" class="pane pane-contact" aria-label={t("contact.pane")} />}
      </div>
      <Shortcuts ctx={ctx} />
      {/* Collision warning, canned-reply variables and macros (docs/macros-and-canned-replies.md). */}
      <link rel="stylesheet" href={asset("composer-tools.css")} />
      <script src={asset("collision.js")} defer></script>
      <script src={asset("macros.js")} defer></script>
    </Layout>
  );
}
