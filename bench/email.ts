// bench/email: N mails waiting in a real Dovecot mailbox; time until all are stored in Pano
// (IMAP fetch, parse, thread, group-committed ingest), beside two baselines measured in the same
// run: imapflow alone fetching the same mails (the floor set by IMAP), and the shared bare
// ingest baseline (bench/baseline.ts).
import { startDovecot } from "../tests/support/dovecot.ts";
import { startSmtpPeer } from "../tests/support/smtp-peer.ts";
import { mail } from "../tests/fixtures/email/mail.ts";
import { measureBaseline, startBenchPano, benchSize } from "./baseline.ts";

function mails(n: number): string[] {
  const out: string[] = [];
  const body = "Chào shop, mình đặt đơn hàng hôm qua nhưng chưa thấy xác nhận. Shop kiểm tra giúp mình với ạ, mình cần giao trước thứ 6. Cảm ơn shop!\n\n-- \nKhách hàng thân thiết";
  for (let i = 0; i < n; i++) {
    const who = i % 1000;
    out.push(mail({
      from: `Khách hàng ${who} <khach${who}@khach.vn>`,
      subject: `Đơn hàng #${100000 + who}`,
      messageId: `bench-${i}@khach.vn`,
      inReplyTo: i >= 1000 ? `bench-${who}@khach.vn` : undefined,
      text: `${body}\nTin số ${i}`,
    }));
  }
  return out;
}

async function storedEmails(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(/^pano_messages_in_total\{[^}]*channel="email"[^}]*\}\s+(\d+)/m.exec(text)?.[1] ?? 0);
}

const rate = (n: number, s: number) => `${(n / s).toFixed(0).padStart(7)} msg/s  (${n} in ${s.toFixed(2)} s)`;

export async function run() {
  const n = benchSize(10_000);
  const [dovecot, smtp] = await Promise.all([startDovecot(), startSmtpPeer()]);
  try {
    dovecot.deliver(mails(n));
    // Dovecot assigns UIDs to delivered files on first look; keep that out of both timings.
    const warm = dovecot.client();
    await warm.connect();
    const box = await warm.mailboxOpen("INBOX");
    if (box.exists !== n) throw new Error(`Dovecot holds ${box.exists} mails, expected ${n}`);

    let t = performance.now();
    let fetched = 0;
    for await (const m of warm.fetch("1:*", { uid: true, size: true }, { uid: true })) fetched += m.uid ? 1 : 0;
    for await (const m of warm.fetch("1:*", { uid: true, source: true }, { uid: true })) fetched += m.source ? 1 : 0;
    const imapSeconds = (performance.now() - t) / 1000;
    await warm.logout();
    if (fetched !== 2 * n) throw new Error(`imapflow fetched ${fetched / 2} of ${n}`);

    const shared = await measureBaseline(n);

    const pano = await startBenchPano();
    try {
      t = performance.now();
      await pano.json("/api/v1/channels", {
        method: "POST",
        json: { type: "email", name: "bench", config: { imap: dovecot.imapConfig(), smtp: smtp.smtpConfig(), from_address: "shop@pano.test" } },
      });
      for (;;) {
        if ((await storedEmails(pano.url)) >= n) break;
        if (performance.now() - t > 600_000) throw new Error("Pano did not store every mail within 10 minutes");
        await Bun.sleep(20);
      }
      const panoSeconds = (performance.now() - t) / 1000;
      const panoRate = n / panoSeconds;
      console.log([
        `bench/email: ${n} mails (1,000 customers, threaded replies) waiting in Dovecot, until all are stored in Pano`,
        `  pano             ${rate(n, panoSeconds)}`,
        `  imapflow alone   ${rate(n, imapSeconds)}  (list + fetch of the same mails, no parsing, no storage)`,
        `  shared baseline  ${shared.perSecond.toFixed(0).padStart(7)} msg/s  (bench/baseline: bare HTTP ingest, synchronous=FULL)`,
        `  ratio            ${((panoRate / (n / imapSeconds)) * 100).toFixed(1)}% of imapflow alone, ${((panoRate / shared.perSecond) * 100).toFixed(1)}% of the shared baseline`,
      ].join("\n"));
      return { panoPerSecond: panoRate, imapflowPerSecond: n / imapSeconds, sharedPerSecond: shared.perSecond };
    } finally {
      await pano.stop();
    }
  } finally {
    await Promise.all([dovecot.stop(), smtp.stop()]);
  }
}

if (import.meta.main) await run();
