// Contrast AA, computed from the stylesheets themselves (WCAG 2 relative luminance): every rule that
// sets both a text colour and a background, the places where text inherits a background from its
// pane, and the non-text parts people must see (focus ring, field borders) at 3:1.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./support/pano.ts";

interface Rule { selectors: string[]; decls: Map<string, string> }

function parse(css: string): Rule[] {
  const rules: Rule[] = [];
  const body = css.replace(/\/\*[\s\S]*?\*\//g, "").replace(/@media[^{]*\{([\s\S]*?\})\s*\}/g, "$1");
  for (const m of body.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
    const decls = new Map<string, string>();
    for (const d of m[2].split(";")) {
      const i = d.indexOf(":");
      if (i > 0) decls.set(d.slice(0, i).trim(), d.slice(i + 1).trim());
    }
    rules.push({ selectors: m[1].split(",").map((s) => s.trim()), decls });
  }
  return rules;
}

const rules = ["public/pano.css", "public/settings.css"].flatMap((f) => parse(readFileSync(join(ROOT, f), "utf8")));
const vars = new Map([...rules.filter((r) => r.selectors.includes(":root")).flatMap((r) => [...r.decls])]);

/** A declared value as one opaque #rrggbb colour, or null (gradients, transparency, keywords). */
function colour(value: string | undefined): string | null {
  if (!value) return null;
  const v = value.replace(/var\((--[\w-]+)\)/g, (_, name) => vars.get(name) ?? "").replace(/\s*!important/, "").trim();
  if (v === "#fff" || v === "white") return "#ffffff";
  const hex = v.match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i)?.[1];
  if (!hex) return null;
  return "#" + (hex.length === 3 ? hex.split("").map((c) => c + c).join("") : hex).toLowerCase();
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The colour a selector's own rule declares for a property (the last rule wins, as in CSS). */
function declared(selector: string, prop: "color" | "background" | "border-color"): string {
  const found = rules.filter((r) => r.selectors.includes(selector)).map((r) => colour(r.decls.get(prop) ?? (prop === "background" ? r.decls.get("background-color") : undefined))).filter(Boolean);
  if (!found.length) throw new Error(`no ${prop} for ${selector}`);
  return found[found.length - 1]!;
}

const v = (name: string) => colour(`var(--${name})`)!;

describe("contrast of Pano's colours", () => {
  test("the known reference values come out right (black on white is 21:1)", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });

  test("every rule with its own text colour and background reaches 4.5:1", () => {
    const failures: string[] = [];
    let checked = 0;
    for (const r of rules) {
      const fg = colour(r.decls.get("color"));
      const bg = colour(r.decls.get("background") ?? r.decls.get("background-color"));
      if (!fg || !bg) continue;
      checked++;
      const ratio = contrast(fg, bg);
      if (ratio < 4.5) failures.push(`${r.selectors.join(", ")}: ${fg} on ${bg} = ${ratio.toFixed(2)}`);
    }
    expect(checked).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });

  test("text that inherits its pane's background reaches 4.5:1", () => {
    const panes = { page: v("bg"), panel: v("panel"), note: v("note-bg"), outgoing: v("out-bg"), event: declared(".event", "background"), selectedRow: declared(".conv-row.selected a", "background") };
    const texts = { text: v("text"), muted: v("muted"), link: v("primary"), danger: v("danger"), ok: v("ok") };
    const failures: string[] = [];
    for (const [pane, bg] of Object.entries(panes)) {
      for (const [name, fg] of Object.entries(texts)) {
        if (contrast(fg, bg) < 4.5) failures.push(`${name} ${fg} on ${pane} ${bg} = ${contrast(fg, bg).toFixed(2)}`);
      }
    }
    const tags = [".tag.high", ".tag.intent-complaint", ".tag.intent-product_question", ".tag.intent-support_request", ".status-open"];
    for (const t of tags) if (contrast(declared(t, "color"), v("panel")) < 4.5) failures.push(`${t} on panel`);
    const white = declared(".avatar", "color");
    for (const r of rules.flatMap((x) => x.selectors).filter((s) => /^\.avatar-\d$/.test(s))) {
      if (contrast(white, declared(r, "background")) < 4.5) failures.push(`avatar initials on ${r}`);
    }
    expect(failures).toEqual([]);
  });

  test("the focus ring and field borders stand out 3:1 from what surrounds them, the dark top bar too", () => {
    const focus = v("focus");
    const around = [v("bg"), v("panel"), v("note-bg"), declared(".conv-row.selected a", "background"), declared(".topbar", "background")];
    for (const bg of around) expect(contrast(focus, bg)).toBeGreaterThanOrEqual(3);
    const fieldBorder = colour(rules.find((r) => r.selectors.includes("input") && r.decls.has("border"))!.decls.get("border")!.split(" ").pop());
    expect(contrast(fieldBorder!, v("panel"))).toBeGreaterThanOrEqual(3);
  });
});
