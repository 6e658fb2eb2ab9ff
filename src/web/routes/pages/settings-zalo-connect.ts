// "Connect with Zalo": where the button on a Zalo channel's settings page leads. The OAuth
// start route belongs to the Zalo channel (src/web/routes/zalo-oauth.ts); until it is mounted
// this answers null and the page offers only the pasted-token form.
export function zaloConnectUrl(_channelId: number): string | null {
  return null;
}
