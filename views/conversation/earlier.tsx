// The customer's earlier conversations (any channel) above the current one's timeline: one line
// each, opening it in the same pane, or unfolding its messages right here (paged, read-only), so
// an agent sees what was asked before without leaving the conversation.
import type { ViewContext } from "../context.ts";
import { formatDateTime } from "../i18n/index.ts";
import type { EarlierConversation } from "../../src/store/conversation-history.ts";
import { EarlierMessagesToggle } from "../contact/history.tsx";

export function EarlierConversations(props: { ctx: ViewContext; rows: EarlierConversation[] }) {
  const { ctx, rows } = props;
  if (!rows.length) return null;
  return (
    <details class="earlier-conversations" open={rows.length <= 3}>
      <summary>{ctx.t("conv.earlier", { n: rows.length })}</summary>
      <ol>
        {rows.map((r) => (
          <li>
            <a href={`/inbox?c=${r.id}`} hx-get={`/conversations/${r.id}`} hx-target="#conversation" hx-push-url={`/inbox?c=${r.id}`}>
              <span class={`channel-badge channel-${r.channel_type}`}>{r.channel_type}</span> {r.channel_name}
              {" · "}<time datetime={new Date(r.created_at).toISOString()}>{formatDateTime(r.created_at, ctx.lang, ctx.timeZone)}</time>
              {" · "}{ctx.t(`status.${r.status}` as never)}
              <span class="earlier-preview">{r.subject ?? r.last_preview}</span>
            </a>
            <EarlierMessagesToggle ctx={ctx} conversationId={r.id} />
          </li>
        ))}
      </ol>
    </details>
  );
}
