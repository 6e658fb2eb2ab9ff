// An icon from the sprite, and the versioned URL of a public asset. Apart from layout.tsx so the
// shell's own parts (the channel alert) can use them without importing the page that holds them.
import { ASSET_VERSION } from "../../src/web/assets.ts";

export const asset = (name: string) => `/assets/${name}?v=${ASSET_VERSION}`;

export function Icon(props: { name: string; label?: string; class?: string }) {
  return (
    <svg class={`icon ${props.class ?? ""}`} aria-hidden={props.label ? undefined : "true"} role={props.label ? "img" : undefined} aria-label={props.label}>
      <use href={`${asset("icons.svg")}#${props.name}`} />
    </svg>
  );
}
