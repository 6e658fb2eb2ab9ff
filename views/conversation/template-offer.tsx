// Under a composer that cannot send text now (Zalo's 7 days have passed): the way that still
// reaches the customer, a template, opened in the profile panel beside the conversation.
import type { ViewContext } from "../context.ts";
import { Icon } from "../layout.tsx";

export function TemplateOffer(props: { ctx: ViewContext; href: string }) {
  const t = props.ctx.t;
  return (
    <p class="template-offer">
      <button type="button" id="template-offer" hx-get={props.href} hx-target="#contact-pane" hx-swap="outerHTML"><Icon name="send" /> {t("outreach.offer")}</button>
      <small class="muted"> {t("outreach.offer_hint")}</small>
    </p>
  );
}
