// "Connect with Zalo": the button on a Zalo channel's settings page leads to the Zalo channel's
// own OAuth start route (src/web/routes/zalo-oauth.ts); pasting tokens in the form stays the fallback.
import { startPath } from "../zalo-oauth.ts";

export function zaloConnectUrl(channelId: number): string {
  return startPath(channelId);
}
