// A shop for QA review stories: a supervisor, two agents (each with a password for the browser and
// a token for the API), an api channel, and conversations an agent answered and resolved.
import { runPano, type PanoProcess } from "./pano.ts";

export interface Person { id: string; email: string; password: string; token: string; as(path: string, init?: RequestInit & { json?: unknown }): Promise<Response> }

export const STARTER_CRITERIA = [
  { name: "Chào hỏi", guidance: "Chào khách, xưng hô lịch sự", weight: 1, scale: 5 },
  { name: "Thông tin chính xác", guidance: "Giá, tồn kho, chính sách đúng", weight: 3, scale: 5 },
  { name: "Giọng điệu", guidance: "Thân thiện, không cộc lốc", weight: 2, scale: 5 },
  { name: "Tuân thủ chính sách", guidance: "Không hứa ngoài chính sách đổi trả", weight: 2, scale: 1, critical: true },
];

export async function qaShop(pano: PanoProcess) {
  const team = (await pano.json("/api/v1/teams", { method: "POST", json: { name: "CSKH" } })).id as string;
  const person = async (name: string, role: "agent" | "supervisor"): Promise<Person> => {
    const email = `${name.toLowerCase()}@shop.vn`;
    const password = "mat-khau-dai-du-8";
    const u = await pano.json("/api/v1/users", { method: "POST", json: { email, password, name, role, team_ids: [team] } });
    const tok = await runPano(["token", "create", "--name", name, "--user", email], { PANO_DATA_DIR: pano.dataDir });
    if (tok.code !== 0) throw new Error(`token create failed: ${tok.stderr}`);
    const token = tok.stdout.trim();
    const as = (path: string, init: RequestInit & { json?: unknown } = {}) =>
      pano.api(path, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
    return { id: u.id, email, password, token, as };
  };
  const hoa = await person("Hoa", "supervisor");
  const lan = await person("Lan", "agent");
  const minh = await person("Minh", "agent");
  const channel = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id as string;
  let n = 0;
  /** The customer asks, `by` answers each line in turn, then resolves it. */
  const handled = async (by: Person, answers: string[], opts: { resolve?: boolean; question?: string } = {}) => {
    n++;
    const r = await pano.json(`/api/v1/channels/${channel}/inbound`, {
      method: "POST", json: { external_contact_id: `khach-${n}`, contact_name: `Khách ${n}`, external_message_id: `q-${n}`, text: opts.question ?? "Áo thun còn size M không shop?" },
    });
    const conv = r.conversation_id as string;
    await pano.json(`/api/v1/conversations/${conv}`, { method: "PATCH", json: { team_id: team, assignee_id: by.id } });
    for (const text of answers) {
      const sent = await by.as(`/api/v1/conversations/${conv}/messages`, { method: "POST", json: { text } });
      if (sent.status !== 202) throw new Error(`reply failed: ${sent.status} ${await sent.text()}`);
    }
    if (opts.resolve !== false) {
      const done = await by.as(`/api/v1/conversations/${conv}`, { method: "PATCH", json: { status: "resolved" } });
      if (done.status !== 200) throw new Error(`resolve failed: ${done.status}`);
    }
    return conv;
  };
  const scorecard = async () => (await pano.json("/api/v1/qa/scorecards", { method: "POST", json: { name: "Chat bán hàng", criteria: STARTER_CRITERIA } }));
  return { team, hoa, lan, minh, channel, handled, scorecard };
}
