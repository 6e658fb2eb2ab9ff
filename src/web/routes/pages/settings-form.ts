// Reading settings forms: url-encoded fields in, zod issues out as localised messages per field.
import type { Context } from "hono";
import type { z } from "zod";
import type { Translate } from "../../../../views/i18n/index.ts";

export type FormValues = Record<string, string | string[]>;
export type FieldErrors = Record<string, string>;

/** The posted form; repeated names (checkbox groups) become arrays. */
export async function readForm(c: Context): Promise<FormValues> {
  const body = await c.req.parseBody({ all: true });
  const out: FormValues = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === "_csrf") continue;
    if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === "string");
    else if (typeof v === "string") out[k] = v;
  }
  return out;
}

export const text = (f: FormValues, name: string) => {
  const v = f[name];
  return (Array.isArray(v) ? v[0] ?? "" : v ?? "").trim();
};
export const list = (f: FormValues, name: string) => {
  const v = f[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};
export const ids = (f: FormValues, name: string) => list(f, name).filter((v) => /^\d+$/.test(v)).map(Number);

/** One zod issue in the reader's language: the codes people meet in forms get our own words. */
export function localiseIssue(issue: z.core.$ZodIssue, t: Translate, input: unknown): string {
  const i = issue as z.core.$ZodIssue & { minimum?: number | bigint; maximum?: number | bigint; origin?: string; format?: string; expected?: string };
  switch (i.code) {
    case "invalid_type":
      if (input === undefined || input === null || input === "") return t("settings.err.required");
      return i.expected === "number" || i.expected === "int" ? t("settings.err.number") : t("settings.err.invalid");
    case "too_small":
      if (i.origin === "string") return Number(i.minimum) <= 1 ? t("settings.err.required") : t("settings.err.too_short", { n: Number(i.minimum) });
      return t("settings.err.too_small", { n: Number(i.minimum) });
    case "too_big":
      return i.origin === "string" ? t("settings.err.too_long", { n: Number(i.maximum) }) : t("settings.err.too_big", { n: Number(i.maximum) });
    case "invalid_format":
      return i.format === "url" ? t("settings.err.url") : i.format === "email" ? t("settings.err.email") : t("settings.err.format");
    case "invalid_value":
      return t("settings.err.choice");
    case "unrecognized_keys":
      return t("settings.err.unknown_field");
    default:
      return t("settings.err.invalid");
  }
}

/** Field name (dotted path) -> first message for it. */
export function issuesByField(error: z.ZodError, t: Translate, data: unknown, prefix: string[] = []): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path.map(String)];
    const keys = issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...path, k].join(".")) : [path.join(".") || "_form"];
    const input = issue.path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined), data);
    for (const key of keys) out[key] ??= localiseIssue(issue, t, input);
  }
  return out;
}

/** Every admin action leaves an audit row naming who did it. */
export { auditAction } from "../../../store/audit.ts";
