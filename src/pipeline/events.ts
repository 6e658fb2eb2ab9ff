// A small typed in-process event bus. Only after-commit events travel here: a listener never
// sees something that could still be rolled back.
import type { DomainEvent, EventType } from "../domain/events.ts";

type Listener<T extends EventType> = (e: Extract<DomainEvent, { type: T }>) => void;

export class EventBus {
  private listeners = new Map<string, Set<(e: DomainEvent) => void>>();
  /** Counts emit() calls: a listener may cache reads for the events of one burst. */
  burst = 0;

  on<T extends EventType>(type: T, fn: Listener<T>): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(fn as (e: DomainEvent) => void);
    return () => set!.delete(fn as (e: DomainEvent) => void);
  }

  onAny(fn: (e: DomainEvent) => void): () => void {
    return this.on("*" as EventType, fn as never);
  }

  emit(events: DomainEvent[]): void {
    this.burst++;
    const any = this.listeners.get("*");
    for (const e of events) {
      const own = this.listeners.get(e.type);
      if (own) this.call(own, e);
      if (any) this.call(any, e);
    }
  }

  private call(set: Set<(e: DomainEvent) => void>, e: DomainEvent) {
    for (const fn of set) {
      // One failing listener (say, SSE to a closed socket) must not stop the others.
      try {
        fn(e);
      } catch (err) {
        console.error(JSON.stringify({ level: "error", msg: "event listener failed", event: e.type, error: String(err) }));
      }
    }
  }
}
