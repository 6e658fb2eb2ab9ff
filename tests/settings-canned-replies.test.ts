// Canned replies: a supervisor keeps them per team in Settings; the composer's "/" picker reads
// them through /api/v1/canned-replies, where each agent sees the shared ones and their team's.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, ADMIN, type PanoProcess } from "./support/pano.ts";
import { signIn, auditRows, fieldError, type PageSession } from "./settings-session.ts";

let pano: PanoProcess;
let admin: PageSession;
let teams: { sales: string; support: string };

beforeAll(async () => {
  pano = await startPano();
  admin = await signIn(pano, ADMIN.email, ADMIN.password);
  const sales = await pano.json("/api/v1/teams", { method: "POST", json: { name: "Bán hàng" } });
  const support = await pano.json("/api/v1/teams", { method: "POST", json: { name: "Hỗ trợ" } });
  teams = { sales: sales.id, support: support.id };
  await pano.json("/api/v1/users", { method: "POST", json: { email: "hoa@pano.test", password: "mat-khau-cua-hoa", name: "Hoa", role: "supervisor" } });
  await pano.json("/api/v1/users", { method: "POST", json: { email: "an@pano.test", password: "mat-khau-cua-an", name: "An", role: "agent", team_ids: [support.id] } });
});
afterAll(async () => {
  await pano?.stop();
});

async function tokenFor(email: string): Promise<string> {
  const id = (await pano.json("/api/v1/users")).data.find((u: any) => u.email === email).id;
  const r = await admin.post("/settings/tokens", { name: `composer ${email}`, user_id: id });
  return /data-secret="token">([^<]+)</.exec(r.html)![1];
}

test("a supervisor adds canned replies per team; a wrong or taken shortcut is explained", async () => {
  const hoa = await signIn(pano, "hoa@pano.test", "mat-khau-cua-hoa");
  const bad = await hoa.post("/settings/canned-replies", { team_id: teams.support, shortcut: "Xin Chào", text: "" });
  expect(bad.status).toBe(422);
  expect(fieldError(bad.html, "shortcut")).toBe("Chỉ gồm chữ thường không dấu, số, - và _");
  expect(fieldError(bad.html, "text")).toBe("Bắt buộc nhập");

  const text = "Dạ, em chào anh/chị! Em có thể giúp gì ạ?";
  expect((await hoa.post("/settings/canned-replies", { team_id: "", shortcut: "/chao", text })).status).toBe(303);
  expect((await hoa.post("/settings/canned-replies", { team_id: teams.support, shortcut: "doi-tra", text: "Sản phẩm được đổi trả trong 7 ngày." })).status).toBe(303);
  expect((await hoa.post("/settings/canned-replies", { team_id: teams.sales, shortcut: "gia", text: "Giá đã gồm VAT." })).status).toBe(303);
  const taken = await hoa.post("/settings/canned-replies", { team_id: "", shortcut: "chao", text: "Lần nữa" });
  expect(fieldError(taken.html, "shortcut")).toBe("Đã tồn tại");

  const page = await hoa.get("/settings/canned-replies");
  expect(page.html).toContain("/doi-tra");
  expect(page.html).toContain("Dạ, em chào anh/chị! Em có thể giúp gì ạ?");
  expect(auditRows(pano, "canned_reply.created")).toHaveLength(3);
});

test("the composer's picker gives an agent the shared replies and their own team's only", async () => {
  const token = await tokenFor("an@pano.test");
  const r = await fetch(`${pano.url}/api/v1/canned-replies`, { headers: { authorization: `Bearer ${token}` } });
  const shortcuts = (await r.json()).data.map((x: any) => x.shortcut).sort();
  expect(shortcuts).toEqual(["chao", "doi-tra"]);
  const all = (await pano.json("/api/v1/canned-replies")).data.map((x: any) => x.shortcut).sort();
  expect(all).toEqual(["chao", "doi-tra", "gia"]);
});

test("editing and deleting from Settings, and the same through the REST API", async () => {
  const gia = (await pano.json("/api/v1/canned-replies")).data.find((x: any) => x.shortcut === "gia");
  expect((await admin.post(`/settings/canned-replies/${gia.id}`, { team_id: teams.sales, shortcut: "bang-gia", text: "Bảng giá mới nhất: pano.vn/gia" })).status).toBe(303);
  expect(await pano.json(`/api/v1/canned-replies/${gia.id}`)).toMatchObject({ shortcut: "bang-gia", team_id: teams.sales });
  expect((await admin.post(`/settings/canned-replies/${gia.id}/delete`, {})).status).toBe(303);
  expect((await pano.api(`/api/v1/canned-replies/${gia.id}`)).status).toBe(404);

  const created = await pano.json("/api/v1/canned-replies", { method: "POST", json: { team_id: teams.sales, shortcut: "ship", text: "Miễn phí giao hàng từ 500.000đ." } });
  expect(created).toMatchObject({ team_id: teams.sales, shortcut: "ship" });
  const patched = await pano.json(`/api/v1/canned-replies/${created.id}`, { method: "PATCH", json: { text: "Miễn phí giao hàng từ 300.000đ." } });
  expect(patched).toMatchObject({ team_id: teams.sales, shortcut: "ship", text: "Miễn phí giao hàng từ 300.000đ." });
  const clash = await pano.api("/api/v1/canned-replies", { method: "POST", json: { shortcut: "chao", text: "x" } });
  expect(clash.status).toBe(409);
  const invalid = await pano.api("/api/v1/canned-replies", { method: "POST", json: { shortcut: "Có Dấu", text: "x" } });
  expect(invalid.status).toBe(422);
  expect((await invalid.json()).error.code).toBe("validation_failed");
  expect((await pano.api(`/api/v1/canned-replies/${created.id}`, { method: "DELETE" })).status).toBe(204);

  const agentToken = await tokenFor("an@pano.test");
  const denied = await fetch(`${pano.url}/api/v1/canned-replies`, { method: "POST", headers: { authorization: `Bearer ${agentToken}`, "content-type": "application/json" }, body: JSON.stringify({ shortcut: "x", text: "y" }) });
  expect(denied.status).toBe(403);
});
