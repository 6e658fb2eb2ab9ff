// Someone replays a signed-in agent's form posts by hand with a Referer no browser would send
// ("http://[::1", "::::", Pano's own address with junk after it). Pano refuses each with 403 and
// changes nothing: never a 500 and a stack trace in the log. A browser's real Referer still works.
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

const post = (path: string, referer: string, fields: Record<string, string>) =>
  fetch(pano.url + path, {
    method: "POST", redirect: "manual",
    headers: { cookie: admin.cookie, referer, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: admin.csrf, ...fields }),
  });

const language = async () => /<html lang="([a-z]+)"/.exec((await admin.get("/account")).html)?.[1];

test("a form post with a malformed Referer is refused with 403 and changes nothing", async () => {
  expect(await language()).toBe("vi");
  const origin = new URL(pano.url).origin;
  for (const referer of ["http://[::1", "::::", `${origin}::::`, `${origin}[`, `${origin}:99999/inbox`]) {
    const switched = await post("/account/language", referer, { language: "en" });
    expect([referer, switched.status]).toEqual([referer, 403]);
    const prefs = await post("/account", referer, { language: "en", timezone: "Asia/Bangkok" });
    expect([referer, prefs.status]).toEqual([referer, 403]);
  }
  expect(await language()).toBe("vi");
  expect(pano.logs()).not.toContain("page failed");
});

test("the browser's own Referer still switches the language and goes back to the page", async () => {
  const res = await post("/account/language", `${new URL(pano.url).origin}/reports`, { language: "en" });
  expect(res.status).toBe(303);
  expect(res.headers.get("location")).toBe("/reports");
  expect(await language()).toBe("en");
});
