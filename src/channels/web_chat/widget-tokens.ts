// Which channel a public widget_token belongs to, kept by the channels' start/stop (index.ts), so
// the visitor routes find a channel without a query.
const byToken = new Map<string, number>();

export const widgetTokens = {
  set(token: string, channelId: number) {
    for (const [t, id] of byToken) if (id === channelId) byToken.delete(t);
    byToken.set(token, channelId);
  },
  drop(channelId: number) {
    for (const [t, id] of byToken) if (id === channelId) byToken.delete(t);
  },
  channelOf: (token: string) => byToken.get(token),
};
