// "Gọi điện": click-to-call from the customer panel and the conversation header, shown when a
// channel can place calls and the customer has a phone. The answer (calling, or why not) replaces
// the line beside the button.
import type { ViewContext } from "../context.ts";
import { Icon } from "../layout.tsx";

export function DialButton(props: { ctx: ViewContext; contactId: number; place: "panel" | "head" }) {
  const { ctx, contactId } = props;
  const result = `dial-result-${props.place}-${contactId}`;
  return (
    <form class={`dial dial-${props.place}`} hx-post={`/contacts/${contactId}/calls`} hx-target={`#${result}`} hx-swap="innerHTML" hx-disabled-elt="find button">
      <button type="submit" class="dial-button"><Icon name="phone" /> {ctx.t("call.dial")}</button>
      <span id={result} class="dial-result" aria-live="polite"></span>
    </form>
  );
}
