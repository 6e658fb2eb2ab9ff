// A customer's attributes as a definition list under its heading (the panel's h3, the profile's h2);
// nothing at all when there are none.
import type { ViewContext } from "../context.ts";

export function AttributeList(props: { ctx: ViewContext; attributes: [string, string][]; heading: "h2" | "h3" }) {
  if (!props.attributes.length) return null;
  const Heading = props.heading;
  return (
    <>
      <Heading>{props.ctx.t("contact.attributes")}</Heading>
      <dl class="contact-attributes">
        {props.attributes.map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
      </dl>
    </>
  );
}
