// Settings > System: version, data directory, queue depths, the state of continuous backup and
// the latest admin actions.
import type { ViewContext } from "../context.ts";
import { formatDateTime } from "../i18n/index.ts";
import { SettingsFrame, DataTable } from "./frame.tsx";

export interface AuditEntryView {
  actor: { type: string; email?: string };
  action: string;
  subject: { type: string; id: string | null } | null;
  data: unknown;
  created_at: string | null;
}

export interface SystemView {
  version: string;
  dataDir: string;
  outboxDepth: number;
  writerDepth: number;
  replication: { replica: string; status: string; lastSyncAt: number | null; lastError: string | null; restarts: number; pendingFiles: number } | null;
  audit: AuditEntryView[];
}

/** Secrets are already masked; long details are cut so one row stays one line. */
const detail = (data: unknown) => (data === null || data === undefined ? "" : JSON.stringify(data).slice(0, 160));

function Facts(props: { rows: [string, string][] }) {
  return <dl class="endpoints">{props.rows.map(([k, v]) => (<><dt>{k}</dt><dd>{v}</dd></>))}</dl>;
}

export function SystemPage(props: { ctx: ViewContext; s: SystemView }) {
  const { ctx, s } = props;
  const t = ctx.t;
  const when = (ms: number | null) => (ms === null ? t("common.none") : formatDateTime(ms, ctx.lang, ctx.timeZone));
  const r = s.replication;
  return (
    <SettingsFrame ctx={ctx} area="system" title={t("settings.system.title")}>
      <Facts rows={[[t("settings.system.version"), s.version], [t("settings.system.data_dir"), s.dataDir]]} />
      <section aria-labelledby="sys-queues">
        <h2 id="sys-queues">{t("settings.system.queues")}</h2>
        <Facts rows={[[t("settings.system.outbox"), String(s.outboxDepth)], [t("settings.system.writer"), String(s.writerDepth)]]} />
      </section>
      <section aria-labelledby="sys-backup">
        <h2 id="sys-backup">{t("settings.system.replication")}</h2>
        {r ? (
          <Facts rows={[
            [t("settings.system.replica"), r.replica],
            [t("settings.system.status"), r.status],
            [t("settings.system.last_sync"), when(r.lastSyncAt)],
            [t("settings.system.restarts"), String(r.restarts)],
            [t("settings.system.pending_files"), String(r.pendingFiles)],
            [t("settings.system.last_error"), r.lastError ?? t("common.none")],
          ]} />
        ) : <p class="muted">{t("settings.system.replication_off")}</p>}
      </section>
      <section aria-labelledby="sys-audit">
        <h2 id="sys-audit">{t("settings.system.audit")}</h2>
        {s.audit.length ? (
          <DataTable ctx={ctx} class="audit-table" actions={false} columns={[t("settings.system.audit_when"), t("settings.system.audit_who"), t("settings.system.audit_action"), t("settings.system.audit_subject"), t("settings.system.audit_detail")]}>
            {s.audit.map((e) => (
              <tr>
                <td>{e.created_at ? formatDateTime(Date.parse(e.created_at), ctx.lang, ctx.timeZone) : ""}</td>
                <td>{e.actor.email ?? e.actor.type}</td>
                <td><code>{e.action}</code></td>
                <td>{e.subject ? `${e.subject.type} ${e.subject.id ?? ""}` : ""}</td>
                <td><code>{detail(e.data)}</code></td>
              </tr>
            ))}
          </DataTable>
        ) : <p class="muted">{t("settings.system.audit_empty")}</p>}
        <p class="muted">{t("settings.system.audit_api")}</p>
      </section>
    </SettingsFrame>
  );
}
