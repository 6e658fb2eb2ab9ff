// The icon sprite pages use (/assets/icons.svg#<name>): the core's symbols from
// public/icons/icons.svg plus one per installed channel kind (kind.icon, id = its type).
import { allChannelKinds } from "../channels/registry.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function withChannelIcons(core: Uint8Array): Uint8Array<ArrayBuffer> {
  const svg = decoder.decode(core);
  const end = svg.lastIndexOf("</svg>");
  const symbols = allChannelKinds().map((k) => `${k.icon}\n`).join("");
  return encoder.encode(`${svg.slice(0, end)}${symbols}${svg.slice(end)}`) as Uint8Array<ArrayBuffer>;
}
