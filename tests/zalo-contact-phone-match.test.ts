// A customer who first wrote on the website (API channel, with her phone) and then writes on
// Zalo, where she has shared that phone with the OA, is one customer in Pano: one profile
// with both identities and both conversations (channels.md: the phone matches across channels).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { eventually } from "./support/pano.ts";
import { startZaloWorld, type ZaloWorld } from "./sim/zalo-pano.ts";

let w: ZaloWorld;
beforeAll(async () => void (w = await startZaloWorld()));
afterAll(async () => await w?.stop());

test("a Zalo follower who shared her phone joins the profile she already has from the website", async () => {
  const web = await w.pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Website" } });
  const r = await w.pano.api(`/api/v1/channels/${web.id}/inbound`, {
    method: "POST",
    json: { external_contact_id: "web-77", contact_name: "Phạm Thu Trang", phone: "0901 234 567", external_message_id: "w-1", text: "Đơn hàng #5521 của em giao chưa ạ?" },
  });
  expect(r.status).toBe(202);
  const { contact_id: webContact } = await r.json();

  const trang = w.sim.addUser(undefined, { display_name: "Trang Phạm", phone: "84901234567" });
  expect((await w.sim.userSays(trang, "Em nhắn qua Zalo cho nhanh, đơn #5521 ạ")).status).toBe(200);

  const profile = await eventually(async () => {
    const c = await w.pano.json(`/api/v1/contacts/${webContact}`);
    return c.identities.length === 2 ? c : null;
  }, 5000, "the Zalo identity on the website contact");
  expect(profile.name).toBe("Phạm Thu Trang"); // the name she gave first stays
  expect(profile.phone).toBe("0901234567");
  expect(profile.identities.map((i: any) => i.channel_type).sort()).toEqual(["api", "zalo"]);
  expect(profile.conversation_ids).toHaveLength(2);
  const zaloConv = await w.conversationOf(trang);
  expect(String(zaloConv.contact_id)).toBe(String(webContact));
});

test("a follower whose shared phone nobody else has keeps a profile of her own", async () => {
  const hoa = w.sim.addUser(undefined, { display_name: "Đỗ Hoa", phone: "0977000111" });
  expect((await w.sim.userSays(hoa, "Shop còn váy hoa size S không?")).status).toBe(200);
  const c = await eventually(async () => {
    const x = await w.contactOf(hoa);
    return x?.phone ? x : null;
  }, 5000, "the shared phone on the contact");
  expect(c.phone).toBe("0977000111");
  expect(c.identities).toHaveLength(1);
});
