// bench/webhook: the issue 23 measurement. One Facebook Messenger message event per signed webhook
// delivery (5,000 customers; bodies built with tests/sim/facebook.ts and signed with the app
// secret before the clock starts), sent once each by wrk (2 threads, 64 connections) to Pano's
// /webhooks/facebook with synchronous=FULL, and in the same run the same bodies to the bare Bun +
// SQLite server (bench/baseline-server.ts, POST /facebook): verify X-Hub-Signature-256 over the raw
// body, parse the JSON, group-committed insert of the message (WAL, synchronous=FULL), 200 after
// COMMIT. Each side first takes a warm-up round of N/5 deliveries from 5,000 other customers (not
// measured). Printed: msg/s both sides and their ratio (target 0.6, goal 0.7), ack p50/p99 both
// sides, CPU ms per message both sides, each side's stored count (database, after the run).
import { compareFacebook } from "./facebook.ts";
import { benchSize } from "./processes.ts";

export async function run() {
  return compareFacebook({
    n: benchSize(100_000),
    size: () => 1,
    title: (messages) =>
      `bench/webhook: ${messages} Messenger messages, one event per signed delivery, 5,000 customers, same bodies both sides, wrk 2 threads / 64 connections, group commit, synchronous=FULL`,
    target: 0.6,
    goal: 0.7,
  });
}

if (import.meta.main) await run();
