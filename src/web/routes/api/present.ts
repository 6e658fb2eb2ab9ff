// The API's JSON shapes live in src/present.ts, shared with outgoing webhooks (their `data`).
export * from "../../../present.ts";
export { presentChannel } from "../../../present-channel.ts";
