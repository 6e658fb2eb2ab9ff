// On a template channel's settings page (a Zalo OA with ZNS): what the admin watches (templates
// usable, the daily quota left, recent failures with their reasons) and the "sync templates" button.
import type { ViewContext } from "../context.ts";

export interface ChannelUsageView {
  channelId: number;
  /** Labels already translated. */
  lines: { label: string; value: string }[];
  syncLabel: string;
  /** The outcome of a sync just run. */
  result?: { ok: boolean; message: string } | null;
}

export function ChannelUsage(props: { ctx: ViewContext; u: ChannelUsageView }) {
  const { ctx, u } = props;
  const action = `/settings/channels/${u.channelId}/templates/sync`;
  return (
    <section id="channel-usage" class="channel-usage" aria-live="polite">
      <dl class="endpoints">
        {u.lines.map((l) => (<><dt>{l.label}</dt><dd>{l.value}</dd></>))}
      </dl>
      <form method="post" action={action} hx-post={action} hx-target="#channel-usage" hx-swap="outerHTML">
        <input type="hidden" name="_csrf" value={ctx.csrf} />
        <button type="submit">{u.syncLabel}</button>
      </form>
      {u.result ? <p class={u.result.ok ? "test-result ok" : "test-result failed"} role="status">{u.result.message}</p> : null}
    </section>
  );
}
