// Every message of a channel, through the public API: each conversation page, then each of
// its message pages.
import type { PanoProcess } from "./pano.ts";

export async function allMessages(p: PanoProcess, channelId: string): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = "";
  while (cursor !== null) {
    const page: any = await p.json(`/api/v1/conversations?status=all&channel_id=${channelId}&limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    for (const c of page.data) {
      let mc: string | null = "";
      while (mc !== null) {
        const mp: any = await p.json(`/api/v1/conversations/${c.id}/messages?limit=100${mc ? `&cursor=${mc}` : ""}`);
        out.push(...mp.data);
        mc = mp.next_cursor;
      }
    }
    cursor = page.next_cursor;
  }
  return out;
}
