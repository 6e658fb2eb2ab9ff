// The composer's part of the collision warning and of canned-reply variables: who else is in the
// conversation (filled live by public/collision.js from the /live stream), the newest message the
// agent had seen when they started typing (so the server can tell a colleague's reply they missed),
// the variables still without a value, and the slot where the server's question appears.
import type { ViewContext } from "../context.ts";
import type { ReplyQuestions } from "../../src/web/reply-questions.ts";

export function ComposerWatch(props: { ctx: ViewContext; conversationId: number }) {
  const t = props.ctx.t;
  return (
    <>
      <ul class="agents-here" data-agents-here="" hx-trigger="sse:here" data-me={String(props.ctx.user.id)} data-conversation={String(props.conversationId)}
        data-text-viewing={t("collision.viewing")} data-text-typing={t("collision.typing")} aria-live="polite" hidden></ul>
      <input type="hidden" name="seen" value="" data-seen="" />
      <p class="vars-missing" data-vars-missing="" data-text={t("variables.missing")} role="status" hidden></p>
      <div id="composer-ask" class="composer-ask" aria-live="assertive"></div>
    </>
  );
}

/** The server's question before sending; "Send anyway" submits the composer again with confirm=1. */
export function ComposerAsk(props: { ctx: ViewContext; q: ReplyQuestions }) {
  const { ctx, q } = props;
  const t = ctx.t;
  const lines = [
    ...(q.repliers.length ? [q.repliers.length === 1 ? t("collision.replied", { name: q.repliers[0] }) : t("collision.replied_many", { names: q.repliers.join(", ") })] : []),
    ...(q.missing.length ? [t("variables.missing_ask", { names: q.missing.map((n) => `{{${n}}}`).join(", ") })] : []),
  ];
  return (
    <div class="ask" role="alertdialog" aria-label={lines.join(" ")} data-ask={q.repliers.length ? "collision" : "variables"}>
      {lines.map((l) => <p>{l}</p>)}
      <button type="submit" class="primary" name="confirm" value="1" data-ask-send="">{t("composer.ask.send_anyway")}</button>
      <button type="button" data-ask-cancel="">{t("composer.ask.cancel")}</button>
    </div>
  );
}
