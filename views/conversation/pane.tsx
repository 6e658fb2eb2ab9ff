// One open conversation: header with actions, the timeline (latest page; older on scroll up),
// the composer. Rendered into the inbox's middle pane, or inside the full page on first load.
import type { ViewContext } from "../context.ts";
import { ConversationHeader, type ActionOptions, type ConversationHead } from "./header.tsx";
import { Items, OlderSentinel, type TimelineItem } from "./timeline.tsx";
import { Composer, type ComposerState } from "./composer.tsx";
import { EarlierConversations } from "./earlier.tsx";
import { MacroPicker } from "./macros.tsx";
import type { EarlierConversation } from "../../src/store/conversation-history.ts";

export interface ConversationPaneData {
  head: ConversationHead;
  options: ActionOptions;
  items: TimelineItem[];
  olderBefore: number | null;
  /** Highest audit id at render time, so live sync asks only for newer events. */
  auditFloor: number;
  composer: ComposerState;
  /** The customer's earlier conversations on any channel, shown above this one's timeline. */
  earlier?: EarlierConversation[];
}

export function ConversationPane(props: { ctx: ViewContext; d: ConversationPaneData }) {
  const { ctx, d } = props;
  return (
    <div class="conversation" data-conversation={d.head.id} aria-labelledby="conv-title">
      <ConversationHeader ctx={ctx} head={d.head} options={d.options} />
      <div id="timeline" class="timeline" data-conversation={d.head.id} data-aid-floor={d.auditFloor} tabindex={0} aria-label={ctx.t("conv.timeline")} role="log">
        <EarlierConversations ctx={ctx} rows={d.earlier ?? []} />
        <OlderSentinel ctx={ctx} conversationId={d.head.id} beforeId={d.olderBefore} />
        <Items ctx={ctx} items={d.items} conversationId={d.head.id} />
      </div>
      <Composer ctx={ctx} s={d.composer} />
      <MacroPicker ctx={ctx} conversationId={d.head.id} />
    </div>
  );
}
