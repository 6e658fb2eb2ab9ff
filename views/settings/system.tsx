// Settings > System: version, data directory, queue depths and the state of continuous backup.
import type { ViewContext } from "../context.ts";
import { formatDateTime } from "../i18n/index.ts";
import { SettingsFrame } from "./frame.tsx";

export interface SystemView {
  version: string;
  dataDir: string;
  outboxDepth: number;
  writerDepth: number;
  replication: { replica: string; status: string; lastSyncAt: number | null; lastError: string | null; restarts: number; pendingFiles: number } | null;
}

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
    </SettingsFrame>
  );
}
