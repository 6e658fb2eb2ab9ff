// A shop teaches Pano its own categories ("bảo hành", "đổi trả", "hỏi giá sỉ") with a few examples
// or from the labels its agents already put on conversations; Pano learns them on the box, suggests
// them with a confidence on each customer message, and a routing rule sends them to the right team.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPano, eventually, type PanoProcess } from "./support/pano.ts";
import { addAgent, addTeam, customerSays } from "./support/agents.ts";
import { signIn, fieldError } from "./settings-session.ts";
import { ADMIN } from "./support/pano.ts";

let pano: PanoProcess;
let channelId: string;
let warrantyTeam: string;

beforeAll(async () => {
  pano = await startPano();
  channelId = (await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } })).id;
  warrantyTeam = await addTeam(pano, "Bảo hành", "manual");
});
afterAll(() => pano.stop());

const suggest = async (text: string) => (await pano.json("/api/v1/categories/suggest", { method: "POST", json: { text } })).data as { tag: string; confidence: number; suggested: boolean }[];
const suggested = async (text: string) => (await suggest(text)).filter((s) => s.suggested).map((s) => s.tag);

describe("the shop's own categories", () => {
  test("an admin adds tags with a few examples; differently worded messages, even without diacritics, get the right tag", async () => {
    const warranty = await pano.api("/api/v1/categories", { method: "POST", json: { tag: "Bảo hành", from_labels: false, examples: [
      "Máy bị hỏng thì bảo hành ở đâu shop?", "Bảo hành bao lâu vậy ạ", "Tai nghe lỗi một bên, mang đi bảo hành được không",
      "Sản phẩm còn trong thời gian bảo hành không", "Điện thoại sập nguồn, shop có nhận bảo hành không", "Phiếu bảo hành bị mất thì sao ạ",
    ] } });
    expect(warranty.status).toBe(201);
    expect(await warranty.json()).toMatchObject({ tag: "Bảo hành", from_labels: false });
    expect((await pano.api("/api/v1/categories", { method: "POST", json: { tag: "Đổi trả", from_labels: false, examples: [
      "Mình muốn đổi size áo", "Cho em trả lại hàng được không", "Đổi màu khác được không shop", "Hàng không vừa, đổi sang size L nhé",
      "Em muốn hoàn tiền vì giao sai màu", "Quần chật quá, đổi giúp mình size lớn hơn",
    ] } })).status).toBe(201);
    expect(await suggested("may moi mua da hong, bao hanh the nao shop")).toEqual(["Bảo hành"]);
    expect(await suggested("Áo hơi rộng, mình đổi size M được không?")).toEqual(["Đổi trả"]);
    expect(await suggested("Shop mở cửa mấy giờ?")).toEqual([]);
    const scores = await suggest("may moi mua da hong, bao hanh the nao shop");
    expect(scores.find((s) => s.tag === "Bảo hành")!.confidence).toBeGreaterThan(0.2);
  });

  test("the same tag twice (other case or diacritics), an agent, or a tag with nothing to learn from are refused", async () => {
    const twice = await pano.api("/api/v1/categories", { method: "POST", json: { tag: "bao hanh", examples: ["bảo hành"] } });
    expect(twice.status).toBe(409);
    const nothing = await pano.api("/api/v1/categories", { method: "POST", json: { tag: "Trống", from_labels: false } });
    expect(nothing.status).toBe(422);
    expect((await nothing.json()).error.field).toBe("examples");
    const agent = await addAgent(pano, "an@shop.vn", []);
    const asAgent = await pano.api("/api/v1/categories", { method: "POST", headers: { authorization: `Bearer ${agent.token}` }, json: { tag: "Khác", examples: ["x"] } });
    expect(asAgent.status).toBe(403);
  });

  test("each customer message's categories land on its conversation, and a rule on a category routes it", async () => {
    const rule = await pano.json("/api/v1/routing-rules", { method: "POST", json: { name: "Bảo hành về nhóm bảo hành", conditions: { categories: ["bảo hành"] }, actions: { team_id: warrantyTeam, labels: ["bao-hanh"] } } });
    expect(rule.conditions.categories).toEqual(["bảo hành"]);
    const tried = await pano.json("/api/v1/routing-rules/try", { method: "POST", json: { text: "Loa bị rè, bảo hành được không ạ?" } });
    expect(tried.facts.categories).toEqual(["Bảo hành"]);
    expect(tried.fired).toEqual([rule.id]);

    const broken = await customerSays(pano, channelId, "kh-loa", "Loa bị rè, còn bảo hành được không ạ?");
    const conv = await eventually(async () => {
      const c = await pano.json(`/api/v1/conversations/${broken}`);
      return c.team_id === warrantyTeam ? c : null;
    }, 10_000, "routed to the warranty team");
    expect(conv.categories.map((c: any) => c.tag)).toEqual(["Bảo hành"]);
    expect(conv.categories[0].confidence).toBeGreaterThan(0.2);
    expect(conv.labels).toContain("bao-hanh");

    const other = await customerSays(pano, channelId, "kh-gio", "Cho hỏi shop mở cửa đến mấy giờ?");
    const plain = await eventually(async () => {
      const c = await pano.json(`/api/v1/conversations/${other}`);
      return c.intent !== null ? c : null;
    }, 10_000, "triaged");
    expect(plain.categories).toEqual([]);
    expect(plain.team_id).toBeNull();
  });

  test("a tag learned only from agents' labels: conversations labelled \"hỏi giá sỉ\" teach it", async () => {
    const asks = ["Lấy sỉ 100 cái thì giá bao nhiêu?", "Shop có bán buôn không, mình lấy số lượng lớn", "Giá sỉ áo thun cho đại lý thế nào ạ", "Mình muốn nhập hàng về bán, có chiết khấu sỉ không", "Đặt 50 bộ thì có giá sỉ không shop"];
    for (const [i, text] of asks.entries()) {
      const id = await customerSays(pano, channelId, `kh-si-${i}`, text);
      await pano.json(`/api/v1/conversations/${id}`, { method: "PATCH", json: { labels: ["Hỏi giá sỉ"] } });
    }
    const created = await pano.json("/api/v1/categories", { method: "POST", json: { tag: "hỏi giá sỉ", from_labels: true } });
    expect(created.examples).toEqual([]);
    expect(await suggested("cho minh xin bang gia si, lay 200 cai")).toContain("hỏi giá sỉ");
    expect(await suggested("Loa bị rè, còn bảo hành được không ạ?")).not.toContain("hỏi giá sỉ");
  });

  test("in Settings an admin adds a tag, tries a sentence, and the agent's header offers the suggestion as a label in one click", async () => {
    const admin = await signIn(pano, ADMIN.email, ADMIN.password);
    const empty = await admin.post("/settings/categories", { tag: "Giao hàng", examples: "" });
    expect(empty.status).toBe(422);
    expect(fieldError(empty.html, "examples")).toBe("Cho vài câu ví dụ, hoặc bật học từ nhãn của nhân viên.");
    const saved = await admin.post("/settings/categories", { tag: "Giao hàng", from_labels: "1", examples: [
      "Bao giờ thì giao hàng tới vậy shop", "Đơn của mình giao chưa ạ", "Shipper gọi mà mình không nghe máy", "Giao hàng mất mấy ngày", "Phí ship về Đà Nẵng bao nhiêu", "Mình muốn đổi địa chỉ giao hàng",
    ].join("\n") });
    expect(saved.status).toBe(303);
    const tried = await admin.post("/settings/categories/try", { text: "bao gio giao hang toi Ha Noi vay" });
    expect(tried.html).toMatch(/Giao hàng: \d+% · sẽ gợi ý/);

    const id = await customerSays(pano, channelId, "kh-ship", "Đơn hàng hôm qua khi nào giao tới mình vậy shop?");
    await eventually(async () => ((await pano.json(`/api/v1/conversations/${id}`)).categories.length ? true : null), 10_000, "categories suggested");
    const pane = async () => (await fetch(`${pano.url}/conversations/${id}/head`, { headers: { cookie: admin.cookie, "hx-request": "true" } })).text();
    const head = await pane();
    expect(head).toContain("Gợi ý phân loại");
    expect(head).toMatch(/\+ Giao hàng · \d+%/);
    const add = await admin.post(`/conversations/${id}/actions`, { action: "labels", labels: "Giao hàng" });
    expect(add.status).toBeLessThan(400);
    expect((await pano.json(`/api/v1/conversations/${id}`)).labels).toEqual(["giao-hàng"]);
    // Once it is a label, it is no longer offered.
    expect(await pane()).not.toContain("Gợi ý phân loại");
  });

  test("deleting a tag stops its suggestions", async () => {
    const list = (await pano.json("/api/v1/categories")).data;
    const swap = list.find((c: any) => c.tag === "Đổi trả");
    expect((await pano.api(`/api/v1/categories/${swap.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await suggested("Áo hơi rộng, mình đổi size M được không?")).toEqual([]);
  });
});
