// A phisher mails a shop's agent a real Pano login link whose `next` points elsewhere, dressed up
// so a naive check sees a path ("/<tab>/evil.example", "/\evil.example", "/.//evil.example").
// The agent signs in and lands on a page of Pano, never on the phisher's site; a `next` with a
// newline in it is just a wrong path, not a server error. A good `next` still brings the agent
// back where the session ran out, and the language switch goes back only to a page of Pano too.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startPano, ADMIN, type PanoProcess } from "./support/pano.ts";
import { signIn } from "./settings-session.ts";

let pano: PanoProcess;
beforeAll(async () => {
  pano = await startPano();
});
afterAll(async () => void (await pano?.stop()));

const login = (next: string) =>
  fetch(`${pano.url}/login`, {
    method: "POST", redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: ADMIN.email, password: ADMIN.password, next }),
  });

/** Where a browser goes with this Location (it strips tabs and newlines, reads "\" as "/"). */
const browserTarget = (location: string | null) => new URL(location!.replace(/[\t\n\r]/g, ""), pano.url);

const HOSTILE = [
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "//evil.example",
  "/\\evil.example",
  "\\/evil.example",
  "/.//evil.example",
  "/./\t/evil.example",
  "https://evil.example/inbox",
  " //evil.example",
  "javascript:alert(1)",
  "http://[::1",
];

test("a hostile `next` never sends the signed-in agent off Pano, and never breaks the login", async () => {
  const origin = new URL(pano.url).origin;
  for (const next of HOSTILE) {
    const res = await login(next);
    const location = res.headers.get("location");
    expect([JSON.stringify(next), res.status]).toEqual([JSON.stringify(next), 303]);
    const target = browserTarget(location);
    expect([JSON.stringify(next), target.origin, location!.startsWith("/") && !location!.startsWith("//")]).toEqual([JSON.stringify(next), origin, true]);
  }
});

test("the login form does not carry a hostile `next` from the link into the page", async () => {
  const html = await (await fetch(`${pano.url}/login?next=%2F%09%2Fevil.example`)).text();
  const hidden = /name="next" value="([^"]*)"/.exec(html)?.[1];
  expect(hidden).toBeDefined();
  expect(browserTarget(hidden!.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))).origin).toBe(new URL(pano.url).origin);
});

test("a good `next` still brings the agent back to the page where the session ran out", async () => {
  for (const next of ["/settings/channels", "/inbox?status=open&q=%C4%91%C6%A1n"]) {
    const res = await login(next);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(next);
  }
});

test("the language switch goes back only to a page of Pano, whatever the Referer says", async () => {
  const admin = await signIn(pano, ADMIN.email, ADMIN.password);
  const origin = new URL(pano.url).origin;
  const switchWith = (referer: string) =>
    fetch(`${pano.url}/account/language`, {
      method: "POST", redirect: "manual",
      headers: { cookie: admin.cookie, referer, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: admin.csrf, language: "vi" }),
    });
  for (const referer of [`${origin}//evil.example/`, `${origin}/.//evil.example`, `${origin}@evil.example//evil.example/`, "https://evil.example/inbox"]) {
    const res = await switchWith(referer);
    expect([referer, res.status]).toEqual([referer, 303]);
    const location = res.headers.get("location")!;
    expect([referer, browserTarget(location).origin, location.startsWith("//")]).toEqual([referer, origin, false]);
  }
  const back = await switchWith(`${origin}/reports?period=30d`);
  expect(back.headers.get("location")).toBe("/reports?period=30d");
});
