// Open widgets, by channel and visitor, for the live push. Server-Sent Events, not WebSocket: the
// widget only listens (it writes with ordinary POSTs that get the same limits and checks as any
// request); EventSource reconnects by itself after a restart or a dropped network; it passes
// through every proxy that passes HTTP/1.1; and Bun holds an idle stream for a few hundred bytes.
// A notice carries no content: the widget asks for what came after the last message it has, so a
// missed or repeated notice loses or duplicates nothing.

type Push = (event: string, data: string) => void;

const MAX_PER_VISITOR = 8;
const MAX_OPEN = 50_000;

const open = new Map<string, Set<Push>>();
let count = 0;

const keyOf = (channelId: number, subject: string) => `${channelId}:${subject}`;

/** Registers an open widget; returns the function that forgets it, or null when full. */
export function listen(channelId: number, subject: string, push: Push): (() => void) | null {
  const key = keyOf(channelId, subject);
  let set = open.get(key);
  if (count >= MAX_OPEN || (set && set.size >= MAX_PER_VISITOR)) return null;
  if (!set) open.set(key, (set = new Set()));
  set.add(push);
  count++;
  return () => {
    if (!set!.delete(push)) return;
    count--;
    if (!set!.size) open.delete(key);
  };
}

/** Tells every open widget of this visitor that something changed (a reply, a typing agent). */
export function notify(channelId: number, subject: string, event: "changed" | "typing", data = "{}"): number {
  const set = open.get(keyOf(channelId, subject));
  if (!set) return 0;
  for (const push of set) push(event, data);
  return set.size;
}

export function openWidgets(): number {
  return count;
}

/** Whether this visitor has a widget open now (an agent may write to them first). */
export function isOpen(channelId: number, subject: string): boolean {
  return open.has(keyOf(channelId, subject));
}
