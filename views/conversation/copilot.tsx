// The copilot's buttons in the composer (only with PANO_LLM_URL): a reply draft streamed into the
// text box for the agent to read and edit, and a summary of the conversation for whoever takes it
// over. Nothing is sent without the agent; without the copilot the composer is the same minus these.
import type { ViewContext } from "../context.ts";
import { asset } from "../layout.tsx";

export function CopilotTools(props: { ctx: ViewContext; conversationId: number }) {
  const { ctx, conversationId: id } = props;
  return (
    <span class="copilot" data-copilot-tools="" data-writing={ctx.t("copilot.writing")} data-review={ctx.t("copilot.review")} data-stopped={ctx.t("copilot.stopped")}>
      <button type="button" data-copilot="draft" data-conversation={String(id)} title={ctx.t("copilot.draft_hint")}>✨ {ctx.t("copilot.draft")}</button>
      <button type="button" data-copilot="summary" data-conversation={String(id)}>{ctx.t("copilot.summary")}</button>
      <button type="button" data-copilot-stop="" hidden>{ctx.t("copilot.stop")}</button>
      <output class="muted copilot-status" data-copilot-status="" aria-live="polite"></output>
      <section class="copilot-summary" data-copilot-summary="" hidden aria-label={ctx.t("copilot.summary")}></section>
      <script src={asset("copilot.js")} defer></script>
    </span>
  );
}
