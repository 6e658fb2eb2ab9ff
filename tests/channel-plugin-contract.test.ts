// The contract of a channel plug-in: a kind registered in src/channels/registry.ts brings
// everything the core shows about it (its name and every config field's label in Vietnamese and
// English, its icon, its operator settings) and then appears wherever Pano lists channel kinds,
// with no other file naming it: Settings › Channels, routing rule conditions, the inbox filter.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { allChannelKinds, channelTypes } from "../src/channels/registry.ts";
import type { ChannelKind } from "../src/channels/channel.ts";
import { configFields, type FieldSpec } from "../src/web/routes/pages/settings-channel-fields.ts";
import { translator, type MessageKey } from "../views/i18n/index.ts";
import { withChannelIcons } from "../src/web/icon-sprite.ts";
import { loadConfig } from "../src/config.ts";
import { startPano, ADMIN, ROOT, type PanoProcess } from "./support/pano.ts";
import { signIn, type PageSession } from "./settings-session.ts";

const LANGS = ["vi", "en"] as const;
const fieldKeys = (fields: FieldSpec[]): string[] => fields.flatMap((f) => [f.key, ...(f.children ? fieldKeys(f.children) : [])]);
const say = (lang: "vi" | "en", key: string) => translator(lang)(key as MessageKey);

for (const kind of allChannelKinds()) {
  describe(`the ${kind.type} kind`, () => {
    test("names itself and labels every config field in Vietnamese and English, through the core's catalogue", () => {
      for (const lang of LANGS) {
        const t = kind.texts[lang];
        expect(t.name.trim()).not.toBe("");
        expect(t.title.trim()).not.toBe("");
        expect(say(lang, `channel.${kind.type}`)).toBe(t.name);
        expect(say(lang, `settings.channels.type.${kind.type}`)).toBe(t.title);
        for (const key of fieldKeys(configFields(kind))) {
          expect({ lang, key, label: t.fields[key]?.trim() || null }).toEqual({ lang, key, label: expect.any(String) });
          expect(say(lang, `${kind.type}.field.${key}`)).toBe(t.fields[key]);
        }
      }
      // The kind's own sentences exist in both languages, and each is found under "<type>.<key>".
      expect(Object.keys(kind.texts.en.messages ?? {}).sort()).toEqual(Object.keys(kind.texts.vi.messages ?? {}).sort());
      for (const [key, text] of Object.entries(kind.texts.en.messages ?? {})) expect(say("en", `${kind.type}.${key}`)).toBe(text);
      // Labels for its links and endpoints are its own messages.
      const labels = [...(kind.settingsLinks?.(1) ?? []).flatMap((l) => [l.label, l.hint ?? l.label]), ...(kind.endpoints?.(1) ?? []).map((e) => e.label)];
      for (const label of labels) for (const lang of LANGS) expect(kind.texts[lang].messages?.[label]).toBeString();
    });

    test("brings its icon, and the served sprite carries it once", () => {
      expect(kind.icon).toMatch(new RegExp(`^<symbol id="${kind.type}" viewBox="[^"]+">.*</symbol>$`, "s"));
      const sprite = new TextDecoder().decode(withChannelIcons(readFileSync(join(ROOT, "public/icons/icons.svg"))));
      expect(sprite.split(`<symbol id="${kind.type}"`).length - 1).toBe(1);
      expect(sprite.trimEnd().endsWith("</svg>")).toBe(true);
    });

    test("its operator settings are read from the environment names it declares", () => {
      const settings = Object.entries(kind.settings ?? {});
      const env = Object.fromEntries(settings.map(([, s], i) => [s.env, `https://set-${i}.example/`]));
      const config = loadConfig({ PANO_DATA_DIR: "/tmp/pano-contract", ...env });
      settings.forEach(([name], i) => expect(config.channelUrls[name]).toBe(`https://set-${i}.example`));
      for (const [name, s] of settings) expect(loadConfig({ PANO_DATA_DIR: "/tmp/pano-contract" }).channelUrls[name]).toBe(s.default.replace(/\/+$/, ""));
    });
  });
}

test("the environment names of docs/interface.md stay as they were", () => {
  const env = Object.fromEntries(allChannelKinds().flatMap((k: ChannelKind) => Object.values(k.settings ?? {}).map((s) => [s.env, s.default])));
  expect(env).toMatchObject({
    PANO_FACEBOOK_GRAPH_URL: "https://graph.facebook.com",
    PANO_FACEBOOK_GRAPH_VERSION: "v25.0",
    PANO_ZALO_API_URL: "https://openapi.zalo.me",
    PANO_ZALO_OAUTH_URL: "https://oauth.zaloapp.com",
  });
});

describe("wherever Pano lists channel kinds, every registered kind is there", () => {
  let pano: PanoProcess;
  let admin: PageSession;
  beforeAll(async () => {
    pano = await startPano();
    admin = await signIn(pano, ADMIN.email, ADMIN.password);
  });
  afterAll(() => pano.stop());

  test("Settings › Channels offers to add each kind, with a form of its fields", async () => {
    const list = await admin.get("/settings/channels");
    for (const kind of allChannelKinds()) {
      expect(list.html).toContain(`href="/settings/channels/new/${kind.type}"`);
      expect(list.html).toContain(kind.texts.vi.title);
      const form = await admin.get(`/settings/channels/new/${kind.type}`);
      expect(form.status).toBe(200);
      // A read-only generated value (web_chat's widget_token) is shown but never posted.
      for (const f of configFields(kind).filter((f) => f.kind !== "group" && f.kind !== "readonly")) expect(form.html).toContain(`name="config.${f.name}"`);
    }
    expect((await admin.get("/settings/channels/new/fax")).status).toBe(404);
  });

  test("a routing rule may name any installed kind in its conditions, and no other", async () => {
    const rule = await pano.api("/api/v1/routing-rules", { method: "POST", json: { name: "every kind", conditions: { channel_types: channelTypes() }, actions: { labels: ["k"] } } });
    expect(rule.status).toBe(201);
    expect((await rule.json()).conditions.channel_types).toEqual(channelTypes());
    const fax = await pano.api("/api/v1/routing-rules", { method: "POST", json: { name: "fax", conditions: { channel_types: ["fax"] }, actions: { labels: ["k"] } } });
    expect(fax.status).toBe(422);
    expect((await pano.api("/api/v1/channels", { method: "POST", json: { type: "fax", name: "Fax" } })).status).toBe(422);
  });

  test("the inbox filter names a channel by its kind's name", async () => {
    const ch = await pano.json("/api/v1/channels", { method: "POST", json: { type: "api", name: "Cửa hàng", config: {} } });
    const inbox = await admin.get("/inbox");
    expect(inbox.html).toContain(`value="${ch.id}"`);
    expect(inbox.html).toContain(`Cửa hàng (${allChannelKinds().find((k) => k.type === "api")!.texts.vi.name})`);
  });
});
