// Litestream as a supervised child of `pano serve`: started after the database is open,
// restarted with backoff whenever it dies, stopped after the last commit on shutdown.
import type { Subprocess } from "bun";
import type { Logger } from "../log.ts";

export type ReplicationStatus = "starting" | "running" | "restarting" | "stopped";

export interface ReplicationState {
  status: ReplicationStatus;
  pid: number | null;
  restarts: number;
  startedAt: number | null;
  lastExitCode: number | null;
  /** When Litestream last wrote a snapshot or WAL segment to the replica. */
  lastSyncAt: number | null;
  lastError: string | null;
  syncErrors: number;
}

export interface SupervisorOptions {
  binary: string;
  configPath: string;
  env: Record<string, string>;
  log: Logger;
  /** Litestream's sync (and monitor) interval, in ms. */
  syncIntervalMs?: number;
  /** First restart delay; doubles per consecutive crash up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

// A run that lasted this long was healthy: the next crash starts the backoff again.
const HEALTHY_RUN_MS = 60_000;

export class LitestreamSupervisor {
  readonly state: ReplicationState = { status: "stopped", pid: null, restarts: 0, startedAt: null, lastExitCode: null, lastSyncAt: null, lastError: null, syncErrors: 0 };
  private child: Subprocess | null = null;
  /**
   * Litestream 0.3 connects to the database at its first monitor tick (one sync interval after
   * start) and its shutdown syncs only a connected database: stopped earlier, it leaves the last
   * commits out of the replica. Ready once it has written to the replica.
   */
  private ready = false;
  private onReady: (() => void) | null = null;
  private stopping = false;
  private crashes = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private o: SupervisorOptions) {}

  start(): void {
    this.stopping = false;
    this.spawn();
  }

  private spawn(): void {
    this.state.status = this.state.restarts ? "restarting" : "starting";
    const child = Bun.spawn([this.o.binary, "replicate", "-config", this.o.configPath], { env: this.o.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    this.child = child;
    this.ready = false;
    this.state.pid = child.pid;
    this.state.startedAt = Date.now();
    this.state.status = "running";
    this.o.log("info", "litestream started", { pid: child.pid, restarts: this.state.restarts });
    void this.follow(child.stdout as ReadableStream<Uint8Array>);
    void this.follow(child.stderr as ReadableStream<Uint8Array>);
    void child.exited.then((code) => this.exited(child, code));
  }

  private exited(child: Subprocess, code: number): void {
    if (this.child !== child) return;
    this.child = null;
    this.state.pid = null;
    this.state.lastExitCode = code;
    if (this.stopping) {
      this.state.status = "stopped";
      return;
    }
    const ran = Date.now() - (this.state.startedAt ?? 0);
    this.crashes = ran > HEALTHY_RUN_MS ? 1 : this.crashes + 1;
    const delay = Math.min(this.o.maxBackoffMs ?? 30_000, (this.o.backoffMs ?? 500) * 2 ** (this.crashes - 1));
    this.state.status = "restarting";
    this.state.lastError = `litestream exited with code ${code}`;
    this.o.log("error", "litestream exited; restarting", { code, restart_in_ms: delay, restarts: this.state.restarts });
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopping) return;
      this.state.restarts++;
      this.spawn();
    }, delay);
  }

  /** Litestream logs `time=... level=... msg="..."` lines; they tell when the replica moved. */
  private async follow(stream: ReadableStream<Uint8Array>): Promise<void> {
    const dec = new TextDecoder();
    let buf = "";
    for await (const chunk of stream) {
      buf += dec.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        this.line(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
    }
  }

  private line(line: string): void {
    if (!line.trim()) return;
    const msg = /msg="([^"]*)"|msg=(\S+)/.exec(line);
    const text = msg?.[1] ?? msg?.[2] ?? line;
    if (/segment written|snapshot written/.test(text)) this.state.lastSyncAt = Date.now();
    if (/segment written|snapshot written/.test(text)) {
      this.ready = true;
      this.onReady?.();
    }
    if (/level=(ERROR|WARN)/.test(line)) {
      if (/sync|replica|upload|snapshot|wal/i.test(line)) this.state.syncErrors++;
      this.state.lastError = line.replace(/^time=\S+\s+/, "").slice(0, 500);
      this.o.log("warn", "litestream", { line: this.state.lastError });
    } else this.o.log("debug", "litestream", { line: text });
  }

  /** Ends Litestream after Pano's last commit, so its final sync carries everything. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (!child) {
      this.state.status = "stopped";
      return;
    }
    if (!this.ready) {
      // Two ticks after start it has connected even if the database never changed.
      const connected = (this.state.startedAt ?? 0) + 2 * (this.o.syncIntervalMs ?? 1000) + 250 - Date.now();
      await Promise.race([new Promise<void>((r) => (this.onReady = r)), child.exited, Bun.sleep(Math.min(timeoutMs, Math.max(0, connected)))]);
      this.onReady = null;
    }
    child.kill("SIGTERM");
    const done = await Promise.race([child.exited.then(() => true), Bun.sleep(timeoutMs).then(() => false)]);
    if (!done) {
      this.o.log("warn", "litestream did not stop in time; killing it", { pid: child.pid });
      child.kill(9);
      await child.exited;
    }
    this.state.status = "stopped";
  }
}
