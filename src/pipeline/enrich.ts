// After commit, off the ingest path: fetch profiles of new contacts and download attachments
// whose provider URLs expire. Failures are retried by a slow sweep; nothing blocks a webhook.
import type { Store } from "../store/db.ts";
import type { Tx, Writer } from "../store/writer.ts";
import type { EventBus } from "./events.ts";
import type { ChannelDirectory } from "../store/channels.ts";
import type { ChannelRuntime } from "../channels/channel.ts";
import type { Logger } from "../log.ts";
import { channelKind } from "../channels/registry.ts";
import { storeBytes } from "../store/files.ts";
import { refreshContactSearch } from "../store/contacts-write.ts";
import { normalisePhone } from "../domain/contact.ts";
import { mergeContacts } from "../store/contacts.ts";

/**
 * A phone the provider knows (Zalo's shared_info) is how the same person is recognised on
 * another channel: this contact joins the one who already had that phone (channels.md).
 */
function joinByPhone(tx: Tx, contactId: number, phone: string | null) {
  if (!phone) return;
  const own = tx.db.query<{ phone: string | null }, [number]>("SELECT phone FROM contacts WHERE id = ?").get(contactId);
  if (own?.phone !== phone) return; // the agent recorded another number: theirs wins
  const earlier = tx.db
    .query<{ id: number }, [string, number]>("SELECT id FROM contacts WHERE phone = ? AND merged_into IS NULL AND id != ? ORDER BY id LIMIT 1")
    .get(phone, contactId);
  if (earlier) mergeContacts(tx, earlier.id, contactId, { actorType: "system", reason: "same phone" });
}

interface Deps {
  store: Store;
  writer: Writer;
  events: EventBus;
  channels: ChannelDirectory;
  runtime: ChannelRuntime;
  log: Logger;
  dataDir: string;
  maxBytes: number;
}

export function startEnrichment(d: Deps): () => void {
  const inFlight = new Set<string>();
  const once = (key: string, fn: () => Promise<void>) => {
    if (inFlight.has(key)) return;
    inFlight.add(key);
    fn().catch((err) => d.log("warn", "enrichment failed", { key, error: String((err as Error)?.message ?? err) })).finally(() => inFlight.delete(key));
  };

  const fetchProfile = async (channelId: number, externalId: string) => {
    const ch = d.channels.get(channelId);
    const kind = ch && channelKind(ch.type);
    if (!ch || !kind?.fetchProfile) return;
    const p = await kind.fetchProfile(externalId, ch, d.runtime);
    await d.writer.submit((tx) => {
      const ident = tx.db.query<{ id: number; contact_id: number }, [number, string]>("SELECT id, contact_id FROM contact_identities WHERE channel_id = ? AND external_id = ?").get(channelId, externalId);
      if (!ident) return;
      tx.db.query("UPDATE contact_identities SET profile_fetched_at = ? WHERE id = ?").run(tx.now, ident.id);
      if (!p) return;
      // A name the agent typed wins over the provider's; the provider fills only gaps.
      tx.db
        .query("UPDATE contacts SET name = coalesce(name, ?), avatar_url = coalesce(?, avatar_url), phone = coalesce(phone, ?), email = coalesce(email, ?), updated_at = ? WHERE id = ?")
        .run(p.name ?? null, p.avatarUrl ?? null, normalisePhone(p.phone), p.email ?? null, tx.now, ident.contact_id);
      refreshContactSearch(tx, ident.contact_id);
      tx.emit({ type: "contact.updated", contactId: ident.contact_id });
      joinByPhone(tx, ident.contact_id, normalisePhone(p.phone));
    });
  };

  const download = async (attachmentId: number) => {
    const a = d.store.sqlite.query<{ source_url: string | null; message_id: number }, [number]>("SELECT source_url, message_id FROM attachments WHERE id = ? AND status = 'pending'").get(attachmentId);
    if (!a?.source_url) return;
    let status = "failed";
    let path: string | null = null;
    let size = 0;
    try {
      const res = await d.runtime.http(a.source_url, { signal: AbortSignal.timeout(30_000) });
      const declared = Number(res.headers.get("content-length") ?? 0);
      if (res.ok && declared <= d.maxBytes) {
        const bytes = new Uint8Array(await res.arrayBuffer());
        if (bytes.byteLength <= d.maxBytes) {
          const f = await storeBytes(d.dataDir, bytes);
          path = f.path;
          size = f.size;
          status = "stored";
        }
      } else if (!res.ok && res.status >= 500) return; // transient: the sweep retries
    } catch {
      return; // network trouble: the sweep retries
    }
    await d.writer.submit((tx) => {
      tx.db.query("UPDATE attachments SET status = ?, path = ?, size = CASE WHEN ? > 0 THEN ? ELSE size END WHERE id = ?").run(status, path, size, size, attachmentId);
      const conv = tx.db.query<{ conversation_id: number }, [number]>("SELECT conversation_id FROM messages WHERE id = ?").get(a.message_id);
      if (conv) tx.emit({ type: "message.updated", messageId: a.message_id, conversationId: conv.conversation_id });
    });
  };

  const offContact = d.events.on("contact.created", (e) => once(`p:${e.channelId}:${e.externalId}`, () => fetchProfile(e.channelId, e.externalId)));
  const offMessage = d.events.on("message.created", (e) => {
    if (e.direction !== "in" || !e.attachments) return;
    const pending = d.store.sqlite.query<{ id: number }, [number]>("SELECT id FROM attachments WHERE message_id = ? AND status = 'pending'").all(e.messageId);
    for (const p of pending) once(`a:${p.id}`, () => download(p.id));
  });

  const sweep = setInterval(() => {
    const cutoff = Date.now() - 10 * 60_000;
    const contacts = d.store.sqlite
      .query<{ channel_id: number; external_id: string }, [number]>(
        `SELECT i.channel_id, i.external_id FROM contact_identities i JOIN contacts c ON c.id = i.contact_id
         WHERE i.profile_fetched_at IS NULL AND c.name IS NULL AND i.created_at < ? LIMIT 50`,
      )
      .all(cutoff + 9 * 60_000);
    for (const c of contacts) once(`p:${c.channel_id}:${c.external_id}`, () => fetchProfile(c.channel_id, c.external_id));
    const files = d.store.sqlite.query<{ id: number }, []>("SELECT id FROM attachments WHERE status = 'pending' AND source_url IS NOT NULL LIMIT 50").all();
    for (const f of files) once(`a:${f.id}`, () => download(f.id));
  }, 60_000);

  return () => {
    offContact();
    offMessage();
    clearInterval(sweep);
  };
}
