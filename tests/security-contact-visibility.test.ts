// Stories of who sees which customers: an agent reads a customer only if she serves one of the
// customer's conversations, by id, by search and by list alike; supervisors and admins see all.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, runPano, type PanoProcess } from "./support/pano.ts";
import { addAgent, addTeam, customerSays, type Agent } from "./support/agents.ts";

let pano: PanoProcess;
let lan: Agent;
let mine: string;
let theirs: string;

const as = (tok: string, path: string) => pano.api(path, { headers: { authorization: `Bearer ${tok}` } });
const contactOf = async (conv: string) => (await pano.json(`/api/v1/conversations/${conv}`)).contact_id as string;

beforeAll(async () => {
  pano = await startPano();
  const sales = await addTeam(pano, "Bán hàng");
  const warranty = await addTeam(pano, "Bảo hành");
  lan = await addAgent(pano, "lan@shop.vn", [sales]);
  const ch = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Web" } })).id;
  const convMine = await customerSays(pano, ch, "minh", "Cho em hỏi giá");
  const convTheirs = await pano.json(`/api/v1/channels/${ch}/inbound`, {
    method: "POST",
    json: { external_contact_id: "hoa", contact_name: "Nguyễn Thị Hoa", external_message_id: "hoa-1", text: "Bảo hành máy", email: "hoa@khach.vn", phone: "0912345678" },
  });
  await pano.json(`/api/v1/conversations/${convMine}`, { method: "PATCH", json: { team_id: sales } });
  await pano.json(`/api/v1/conversations/${convTheirs.conversation_id}`, { method: "PATCH", json: { team_id: warranty } });
  mine = await contactOf(convMine);
  theirs = await contactOf(convTheirs.conversation_id);
});
afterAll(async () => {
  await pano?.stop();
});

test("an agent cannot read another team's customer by id: she does not exist for her", async () => {
  const r = await as(lan.token, `/api/v1/contacts/${theirs}`);
  expect(r.status).toBe(404);
  const body = await r.json();
  expect(body.error.code).toBe("not_found");
  expect(JSON.stringify(body)).not.toContain("hoa@khach.vn");
  expect((await as(lan.token, `/api/v1/contacts/${mine}`)).status).toBe(200);
});

test("searching by name, email or phone finds no customer of another team", async () => {
  for (const q of ["Hoa", "hoa@khach.vn", "0912345678", ""]) {
    const r = await (await as(lan.token, `/api/v1/contacts?q=${encodeURIComponent(q)}`)).json();
    expect(r.data.map((c: any) => c.id)).not.toContain(theirs);
  }
  const all = await (await as(lan.token, "/api/v1/contacts")).json();
  expect(all.data.map((c: any) => c.id)).toEqual([mine]);
});

test("supervisors and admins see every customer", async () => {
  await pano.json("/api/v1/users", { method: "POST", json: { email: "sep@shop.vn", password: "mat-khau-dai-du-8", role: "supervisor" } });
  const sup = (await runPano(["token", "create", "--name", "sep", "--user", "sep@shop.vn"], { PANO_DATA_DIR: pano.dataDir })).stdout.trim();
  expect((await (await as(sup, `/api/v1/contacts/${theirs}`)).json()).email).toBe("hoa@khach.vn");
  expect((await (await as(sup, "/api/v1/contacts?q=Hoa")).json()).data.map((c: any) => c.id)).toContain(theirs);
  expect((await pano.json(`/api/v1/contacts/${theirs}`)).phone).toBe("0912345678");
});
