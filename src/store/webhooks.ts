// Outgoing webhook endpoints: what admins register (the secret sealed like channel secrets), and
// who subscribes to which event, kept in memory so the write path asks it for free.
import type { Database } from "bun:sqlite";
import type { Writer } from "./writer.ts";
import type { Sealer } from "./secrets.ts";
import type { WebhookEvent } from "../domain/webhooks.ts";
import { auditAction } from "./audit.ts";

export interface WebhookRow {
  id: number;
  url: string;
  events: string;
  description: string | null;
  active: number;
  consecutive_failures: number;
  failing_since: number | null;
  last_error: string | null;
  last_attempt_at: number | null;
  last_success_at: number | null;
  created_by: number | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookInput {
  url: string;
  events: WebhookEvent[];
  /** Undefined on an edit: the secret stays. */
  secret?: string;
  description: string | null;
  active: boolean;
}

/** Where and as which version an endpoint's deliveries go: what the sender needs per delivery, kept in memory. */
export type WebhookTarget = Pick<WebhookRow, "id" | "url" | "updated_at">;

const COLUMNS = "id, url, events, description, active, consecutive_failures, failing_since, last_error, last_attempt_at, last_success_at, created_by, created_at, updated_at";

export class WebhookDirectory {
  private subscribed = new Map<string, number[]>();
  private targets = new Map<number, WebhookTarget>();
  private secrets = new Map<number, { updatedAt: number; secret: string }>();

  /** `onChange`: the endpoints or their subscriptions changed (after each save, and once now). */
  constructor(private db: Database, private writer: Writer, private sealer: Sealer, private onChange: (self: WebhookDirectory) => void = () => {}) {
    this.refresh();
  }

  /** Active endpoints subscribed to this event (none: the write path does nothing more). */
  subscribers(event: WebhookEvent): readonly number[] {
    return this.subscribed.get(event) ?? [];
  }

  get anySubscribed(): boolean {
    return this.subscribed.size > 0;
  }

  /** Who is subscribed to what, as plain data (for the ingest thread's copy). */
  subscriptions(): [string, number[]][] {
    return [...this.subscribed];
  }

  /** An active endpoint's URL and version, without a query (the sender asks once per delivery). */
  target(id: number): WebhookTarget | null {
    return this.targets.get(id) ?? null;
  }

  list(): WebhookRow[] {
    return this.db.query<WebhookRow, []>(`SELECT ${COLUMNS} FROM webhooks ORDER BY id`).all();
  }

  get(id: number): WebhookRow | null {
    return this.db.query<WebhookRow, [number]>(`SELECT ${COLUMNS} FROM webhooks WHERE id = ?`).get(id);
  }

  /** The secret deliveries are signed with, opened once per version of the endpoint. */
  async secret(w: Pick<WebhookRow, "id" | "updated_at">): Promise<string | null> {
    const cached = this.secrets.get(w.id);
    if (cached && cached.updatedAt === w.updated_at) return cached.secret;
    const row = this.db.query<{ secret_enc: string; updated_at: number }, [number]>("SELECT secret_enc, updated_at FROM webhooks WHERE id = ?").get(w.id);
    if (!row) return null;
    const secret = await this.sealer.open(row.secret_enc);
    this.secrets.set(w.id, { updatedAt: row.updated_at, secret });
    return secret;
  }

  async create(input: WebhookInput & { secret: string }, actorId: number): Promise<WebhookRow> {
    const sealed = await this.sealer.seal(input.secret);
    const id = await this.writer.submit((tx) => {
      const id = Number(
        tx.db.query("INSERT INTO webhooks (url, events, secret_enc, description, active, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
          .run(input.url, JSON.stringify(input.events), sealed, input.description, input.active ? 1 : 0, actorId, tx.now, tx.now).lastInsertRowid,
      );
      auditAction(tx, actorId, "webhook.created", { type: "webhook", id }, { url: input.url, events: input.events });
      return id;
    });
    this.refresh();
    return this.get(id)!;
  }

  async update(id: number, input: WebhookInput, actorId: number): Promise<WebhookRow | null> {
    const sealed = input.secret === undefined ? null : await this.sealer.seal(input.secret);
    await this.writer.submit((tx) => {
      // updated_at moves on every save, so the sender's cached secret is opened again.
      tx.db.query("UPDATE webhooks SET url = ?, events = ?, secret_enc = coalesce(?, secret_enc), description = ?, active = ?, updated_at = max(updated_at + 1, ?) WHERE id = ?")
        .run(input.url, JSON.stringify(input.events), sealed, input.description, input.active ? 1 : 0, tx.now, id);
      auditAction(tx, actorId, "webhook.updated", { type: "webhook", id }, { url: input.url, events: input.events, active: input.active, secret_changed: sealed !== null });
    });
    this.refresh();
    return this.get(id);
  }

  /** The endpoint and its deliveries, pending ones included. */
  async remove(id: number, actorId: number): Promise<void> {
    await this.writer.submit((tx) => {
      const w = tx.db.query<{ url: string }, [number]>("SELECT url FROM webhooks WHERE id = ?").get(id);
      tx.db.query("DELETE FROM webhook_deliveries WHERE webhook_id = ?").run(id);
      tx.db.query("DELETE FROM webhooks WHERE id = ?").run(id);
      auditAction(tx, actorId, "webhook.deleted", { type: "webhook", id }, { url: w?.url ?? null });
    });
    this.secrets.delete(id);
    this.refresh();
  }

  private refresh() {
    const next = new Map<string, number[]>();
    const targets = new Map<number, WebhookTarget>();
    for (const w of this.db.query<WebhookTarget & { events: string }, []>("SELECT id, url, updated_at, events FROM webhooks WHERE active = 1 ORDER BY id").all()) {
      for (const e of JSON.parse(w.events) as string[]) next.set(e, [...(next.get(e) ?? []), w.id]);
      targets.set(w.id, { id: w.id, url: w.url, updated_at: w.updated_at });
    }
    this.subscribed = next;
    this.targets = targets;
    this.onChange(this);
  }
}
