// Phone figures in the report summary: calls answered and missed, missed and never called back,
// average talk time, time to call back, per agent and per shop number (a generic PBX's calls).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPano, ADMIN, type PanoProcess } from "./support/pano.ts";
import { pbxSender } from "./sim/pbx.ts";
import { signIn } from "./settings-session.ts";

const HOTLINE = "842873000041";
const SHOWROOM = "842873000042";
const TOKEN = "tong-dai-bao-cao-token-0001";
const SECRET = "khoa-ky-tong-dai-bao-cao-1234";
let pano: PanoProcess;
let anId: string;
const base = Date.now() - 3600_000;
const t = (s: number) => new Date(base + s * 1000).toISOString();

beforeAll(async () => {
  pano = await startPano();
  await pano.json("/api/v1/channels", { method: "POST", json: { type: "phone", name: "Tổng đài", config: { provider: "generic", numbers: [HOTLINE, SHOWROOM], signing_secret: SECRET, webhook_token: TOKEN } } });
  anId = (await pano.json("/api/v1/users", { method: "POST", json: { email: "an@shop.vn", password: "mat-khau-dai-du-8", name: "Nguyễn An", role: "agent", phone_user_id: "may-le-101" } })).id;
  const pbx = pbxSender(`${pano.url}/webhooks/phone/${TOKEN}/events`, SECRET);
  const post = async (s: Parameters<typeof pbx.post>[0]) => expect((await pbx.post(s)).status).toBe(200);
  // Answered by An on the hotline: 60 s.
  await post({ call_id: "r-1", direction: "inbound", status: "ended", from: "0912400001", to: HOTLINE, agent: "may-le-101", started_at: t(0), answered_at: t(10), ended_at: t(70), duration_s: 60 });
  // Missed on the hotline, called back by An five minutes later: 30 s.
  await post({ call_id: "r-2", direction: "inbound", status: "missed", from: "0912400002", to: HOTLINE, started_at: t(100), ended_at: t(130) });
  await post({ call_id: "r-3", direction: "outbound", status: "ended", from: HOTLINE, to: "0912400002", agent: "may-le-101", started_at: t(400), answered_at: t(405), ended_at: t(435), duration_s: 30 });
  // Missed at the showroom, nobody called back.
  await post({ call_id: "r-4", direction: "inbound", status: "missed", from: "0912400003", to: SHOWROOM, started_at: t(200), ended_at: t(220) });
});
afterAll(() => pano.stop());

describe("calls in the report summary", () => {
  test("totals, per agent and per number", async () => {
    const r = await pano.json(`/api/v1/reports/summary?from=${encodeURIComponent(t(-60))}&to=${encodeURIComponent(new Date().toISOString())}`);
    expect(r.calls).toMatchObject({ calls: 4, answered: 2, missed: 2, missed_not_called_back: 1, average_talk_seconds: 45, call_back_seconds: { p50: 300 } });
    expect(r.calls.by_agent).toEqual([{ agent_id: anId, name: "Nguyễn An", answered: 1, placed: 1, average_talk_seconds: 45, call_backs: 1, call_back_seconds: { p50: 300, p90: 300 } }]);
    const byNumber = Object.fromEntries(r.calls.by_number.map((n: any) => [n.number, n]));
    expect(byNumber[HOTLINE]).toMatchObject({ calls: 3, answered: 2, missed: 1, missed_not_called_back: 0, call_back_seconds: { p50: 300 } });
    expect(byNumber[SHOWROOM]).toMatchObject({ calls: 1, answered: 0, missed: 1, missed_not_called_back: 1, average_talk_seconds: null });
  });

  test("the manager's dashboard shows the calls beside the chat figures, per agent and per number", async () => {
    const admin = await signIn(pano, ADMIN.email, ADMIN.password);
    const page = await admin.get("/reports?period=7d");
    expect(page.status).toBe(200);
    const section = page.html.slice(page.html.indexOf('<section aria-labelledby="calls"'));
    expect(section).toContain("Cuộc gọi");
    const figure = (label: string) => new RegExp(`<dt>${label}</dt><dd>([^<]*)</dd>`).exec(section)?.[1];
    expect(figure("Tổng cuộc gọi")).toBe("4");
    expect(figure("Gọi nhỡ")).toBe("2");
    expect(figure("Nhỡ chưa gọi lại")).toBe("1");
    expect(section).toContain("Nguyễn An");
    expect(section).toContain(SHOWROOM);
  });
});
