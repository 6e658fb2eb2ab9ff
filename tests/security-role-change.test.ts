// An admin who is made an agent loses the admin's rights on the very next API call made with
// their token: the role is not kept for a few seconds in a cache the change did not clear.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, ADMIN, type PanoProcess } from "./support/pano.ts";
import { signIn, type PageSession } from "./settings-session.ts";

let pano: PanoProcess;
let admin: PageSession;
beforeAll(async () => {
  pano = await startPano();
  admin = await signIn(pano, ADMIN.email, ADMIN.password);
});
afterAll(async () => void (await pano?.stop()));

test("a demoted admin's API token is refused admin work at once", async () => {
  const ha = await (await pano.api("/api/v1/users", { method: "POST", json: { email: "ha@pano.test", password: "mat-khau-cua-ha", name: "Hà", role: "admin" } })).json();
  const created = await admin.post("/settings/tokens", { name: "Script của Hà", user_id: ha.id });
  expect(created.status).toBe(201);
  const token = /data-secret="token">([^<]+)</.exec(created.html)![1];
  const newTeam = (name: string) => fetch(`${pano.url}/api/v1/teams`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ name }) });
  expect((await newTeam("Kho")).status).toBe(201); // the token is now in the cache, as an admin's

  const demote = await admin.post(`/settings/users/${ha.id}`, { name: "Hà", role: "agent", capacity: "20", password: "" });
  expect(demote.status).toBe(303);
  expect((await newTeam("Giao hàng")).status).toBe(403);
});
