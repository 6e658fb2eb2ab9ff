// Two agents of one team, Lan and An, each signed in in their own Chromium window, with the
// customer's conversations moved into their team: the stories where agents work side by side.
import type { Browser } from "playwright-core";
import type { PanoProcess } from "./pano.ts";
import { logIn, openPage, type WatchedPage } from "./browser.ts";

export const LAN = { email: "lan@shop.vn", password: "mat-khau-dai-du-8", name: "Lan" };
export const AN = { email: "an@shop.vn", password: "mat-khau-dai-du-8", name: "An" };

/** Creates the team and both agents; returns the team's id. */
export async function teamOfTwo(pano: PanoProcess): Promise<string> {
  const team = (await pano.json("/api/v1/teams", { method: "POST", json: { name: "Chăm sóc khách hàng", assignment: "manual" } })).id;
  for (const who of [LAN, AN]) {
    await pano.json("/api/v1/users", { method: "POST", json: { email: who.email, password: who.password, name: who.name, role: "agent", team_ids: [team] } });
  }
  return team;
}

/** Both agents signed in, each in a window of their own. */
export async function bothSignedIn(pano: PanoProcess, browser: Browser): Promise<{ lan: WatchedPage; an: WatchedPage }> {
  const [lan, an] = await Promise.all([openPage(browser), openPage(browser)]);
  await logIn(lan.page, pano, LAN);
  await logIn(an.page, pano, AN);
  return { lan, an };
}
