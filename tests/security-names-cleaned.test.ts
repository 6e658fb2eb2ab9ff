// A team, a person and a channel named with NUL and a right-to-left override (so "Kho\u202Egnp.exe"
// would show as "Khoexe.png" in every list an agent reads) are stored clean, like contact names:
// each is cleaned in the one place its aggregate is written, whichever door the name came through.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, type PanoProcess } from "./support/pano.ts";

let pano: PanoProcess;
beforeAll(async () => void (pano = await startPano()));
afterAll(async () => void (await pano?.stop()));

const post = async (path: string, json: unknown) => {
  const r = await pano.api(path, { method: "POST", json });
  expect(r.status).toBe(201);
  return r.json();
};

test("a team created through REST with NUL and bidi overrides in its name is stored without them", async () => {
  const team = await post("/api/v1/teams", { name: "Kho\u0000\u202Egnp.exe\u2066" });
  expect(team.name).toBe("Khognp.exe");
  const listed = (await pano.json("/api/v1/teams")).data.find((t: any) => t.id === team.id);
  expect(listed.name).toBe("Khognp.exe");
  // The cleaned name is the one that must be unique.
  const again = await pano.api("/api/v1/teams", { method: "POST", json: { name: "Khognp.exe\u202C" } });
  expect(again.status).toBe(409);
});

test("a user created through REST with NUL and bidi overrides in the name is stored without them", async () => {
  const user = await post("/api/v1/users", { email: "lan.bidi@pano.test", password: "mat-khau-dai", name: "\u202BNguyễn\u0000 Thị\u202C Lan" });
  expect(user.name).toBe("Nguyễn Thị Lan");
  const listed = (await pano.json("/api/v1/users")).data.find((u: any) => u.id === user.id);
  expect(listed.name).toBe("Nguyễn Thị Lan");
});

test("a channel created and renamed through REST keeps no NUL or bidi override in its name", async () => {
  const channel = await post("/api/v1/channels", { type: "api", name: "Web\u0000site\u202E chat" });
  expect((await pano.json(`/api/v1/channels/${channel.id}`)).name).toBe("Website chat");
  const renamed = await pano.api(`/api/v1/channels/${channel.id}`, { method: "PATCH", json: { name: "\u2067Zalo\u0000 shop\u2069" } });
  expect(renamed.status).toBe(200);
  expect((await pano.json(`/api/v1/channels/${channel.id}`)).name).toBe("Zalo shop");
});
