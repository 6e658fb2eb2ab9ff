// Channels with their decrypted config, cached in memory: webhooks route on every request
// and must not decrypt or query for it.
import type { Store } from "./db.ts";
import type { Writer } from "./writer.ts";
import type { Sealer } from "./secrets.ts";
import type { Channel, ChannelLookup, ChannelStatus } from "../channels/channel.ts";
import type { ChannelType } from "../domain/message.ts";
import { channelKind } from "../channels/registry.ts";
import { cleanName } from "../domain/text.ts"; // names shown to agents: no NUL or bidi overrides

interface Row {
  id: number;
  type: ChannelType;
  name: string;
  status: ChannelStatus;
  status_detail: string | null;
  external_key: string | null;
  config_enc: string;
  created_at: number;
}

export interface ChannelRecord extends Channel {
  statusDetail: string | null;
  externalKey: string | null;
  createdAt: number;
}

/** What sync compares: a change of any of these is a change another instance made (a config is sealed afresh on every write). */
const rowPrint = (r: Pick<Row, "name" | "status" | "status_detail" | "external_key" | "config_enc">) =>
  JSON.stringify([r.name, r.status, r.status_detail, r.external_key, r.config_enc]);

export class ChannelDirectory implements ChannelLookup {
  private byId = new Map<number, ChannelRecord>();
  private byKey = new Map<string, ChannelRecord>();
  /** Each channel's row as last read, to notice another instance's change (sync). */
  private seen = new Map<number, string>();
  /** Channels this instance is writing: their own reload follows, sync leaves them alone. */
  private updating = new Set<number>();

  constructor(private store: Store, private writer: Writer, private sealer: Sealer) {}

  async load(): Promise<void> {
    const rows = this.store.sqlite.query<Row, []>("SELECT * FROM channels WHERE deleted_at IS NULL").all();
    const decoded = await Promise.all(rows.map((r) => this.decode(r)));
    this.byId.clear();
    this.byKey.clear();
    this.seen.clear();
    rows.forEach((r, i) => {
      this.put(decoded[i]);
      this.seen.set(r.id, rowPrint(r));
    });
  }

  /**
   * Re-reads the channels another Pano instance created, changed or removed since this one last
   * read them (several instances on PostgreSQL; a few rows, read every couple of seconds).
   * Answers their ids.
   */
  async sync(): Promise<number[]> {
    const rows = this.store.sqlite.query<Row, []>("SELECT id, name, status, status_detail, external_key, config_enc FROM channels WHERE deleted_at IS NULL").all();
    const present = new Set(rows.map((r) => r.id));
    const changed = rows.filter((r) => !this.updating.has(r.id) && this.seen.get(r.id) !== rowPrint(r)).map((r) => r.id);
    for (const id of this.byId.keys()) if (!present.has(id)) changed.push(id);
    for (const id of changed) await this.reload(id);
    return changed;
  }

  private async decode(r: Row): Promise<ChannelRecord> {
    return {
      id: r.id, type: r.type, name: r.name, status: r.status, statusDetail: r.status_detail,
      externalKey: r.external_key, createdAt: r.created_at,
      config: JSON.parse(await this.sealer.open(r.config_enc)),
    };
  }

  private put(c: ChannelRecord) {
    this.byId.set(c.id, c);
    if (c.externalKey) this.byKey.set(`${c.type}:${c.externalKey}`, c);
  }

  async reload(id: number): Promise<ChannelRecord | undefined> {
    const r = this.store.sqlite.query<Row, [number]>("SELECT * FROM channels WHERE id = ? AND deleted_at IS NULL").get(id);
    // Decoding awaits the sealer: the old record stays visible until the new one replaces it, so a
    // sender or profile fetch in that moment never finds the channel missing.
    const c = r ? await this.decode(r) : undefined;
    const old = this.byId.get(id);
    if (old?.externalKey) this.byKey.delete(`${old.type}:${old.externalKey}`);
    this.byId.delete(id);
    this.seen.delete(id);
    if (c) {
      this.put(c);
      this.seen.set(id, rowPrint(r!));
    }
    return c;
  }

  get(id: number): ChannelRecord | undefined {
    return this.byId.get(id);
  }
  list(): ChannelRecord[] {
    return [...this.byId.values()].sort((a, b) => a.id - b.id);
  }
  byExternalKey(type: ChannelType, key: string): Channel | undefined {
    return this.byKey.get(`${type}:${key}`);
  }
  ofType(type: ChannelType): Channel[] {
    return this.list().filter((c) => c.type === type);
  }

  async create(type: ChannelType, name: string, config: Record<string, unknown>): Promise<ChannelRecord> {
    const sealed = await this.sealer.seal(JSON.stringify(config));
    const key = channelKind(type).externalKey(config);
    const id = await this.writer.submit((tx) => {
      const id = Number(
        tx.db.query("INSERT INTO channels (type, name, status, external_key, config_enc, created_at) VALUES (?, ?, 'active', ?, ?, ?)").run(type, cleanName(name) ?? "", key, sealed, tx.now).lastInsertRowid,
      );
      tx.emit({ type: "channel.updated", channelId: id });
      return id;
    });
    return (await this.reload(id))!;
  }

  /** Merges a config patch (rotated tokens, admin edits) and persists it in one transaction. */
  async update(id: number, patch: { name?: string; config?: Record<string, unknown>; status?: ChannelStatus; statusDetail?: string | null }): Promise<ChannelRecord | undefined> {
    // A patch merges into the stored config as it is now: another instance may have stored newer
    // tokens since this one last read it.
    const cur = patch.config ? await this.reload(id) : this.byId.get(id);
    if (!cur) return undefined;
    const config = patch.config ? { ...cur.config, ...patch.config } : cur.config;
    const sealed = patch.config ? await this.sealer.seal(JSON.stringify(config)) : null;
    const key = channelKind(cur.type).externalKey(config);
    this.updating.add(id);
    try {
      await this.write(id, patch, sealed, key);
    } finally {
      this.updating.delete(id);
    }
    return this.reload(id);
  }

  private async write(id: number, patch: { name?: string; status?: ChannelStatus; statusDetail?: string | null }, sealed: string | null, key: string | null) {
    await this.writer.submit((tx) => {
      tx.db
        .query(
          `UPDATE channels SET name = coalesce(?, name), config_enc = coalesce(?, config_enc), external_key = ?,
           status = coalesce(?, status), status_detail = CASE WHEN ? THEN ? ELSE status_detail END WHERE id = ?`,
        )
        .run(patch.name === undefined ? null : cleanName(patch.name) ?? "", sealed, key, patch.status ?? null, patch.statusDetail !== undefined ? 1 : 0, patch.statusDetail ?? null, id);
      tx.emit({ type: "channel.updated", channelId: id });
    });
  }

  async remove(id: number): Promise<boolean> {
    if (!this.byId.has(id)) return false;
    await this.writer.submit((tx) => {
      tx.db.query("UPDATE channels SET deleted_at = ?, external_key = NULL WHERE id = ?").run(tx.now, id);
      tx.emit({ type: "channel.updated", channelId: id });
    });
    await this.reload(id);
    return true;
  }
}
