// A channel kind's zod configSchema read as form fields, so a newly registered kind gets its
// settings form without settings code knowing it. Secrets (kind.secretFields) are never echoed.
import type { z } from "zod";
import type { ChannelKind } from "../../../channels/channel.ts";
import type { FormValues } from "./settings-form.ts";
import { list, text } from "./settings-form.ts";

export interface FieldSpec {
  /** Dotted path: "imap.host". */
  name: string;
  key: string;
  kind: "text" | "secret" | "number" | "boolean" | "enum" | "group" | "list" | "channel" | "team" | "readonly";
  required: boolean;
  nullable: boolean;
  /** The schema's default, shown in a new channel's form so the admin sees what "blank" means. */
  fallback?: unknown;
  format?: string;
  options?: string[];
  children?: FieldSpec[];
  /** A secret's destination fields (kind.secretDestinations): host, port, user it is sent to. */
  destinations?: readonly string[];
  /** For "channel": the type of channel it names. */
  channelType?: string;
}

type AnySchema = z.ZodType & { def: Record<string, any> };
const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"]);

/** Peels optional/nullable/default/pipe wrappers: the inner type plus what the wrappers said. */
function unwrap(s: AnySchema): { inner: AnySchema; required: boolean; nullable: boolean; fallback?: unknown } {
  let required = true;
  let nullable = false;
  let fallback: unknown;
  let cur = s;
  for (let i = 0; i < 10; i++) {
    const t = cur.def.type;
    if (t === "optional" || t === "default" || t === "prefault" || t === "catch") required = false;
    if (t === "nullable") { required = false; nullable = true; }
    if (t === "default" && fallback === undefined) fallback = typeof cur.def.defaultValue === "function" ? cur.def.defaultValue() : cur.def.defaultValue;
    if (WRAPPERS.has(t)) cur = cur.def.innerType;
    else if (t === "pipe") cur = cur.def.in;
    else break;
  }
  return { inner: cur, required, nullable, fallback };
}

function isSecret(kind: ChannelKind, path: string[]): boolean {
  return kind.secretFields.includes(path.join(".")) || kind.secretFields.includes(path[path.length - 1]);
}

function describe(kind: ChannelKind, shape: Record<string, AnySchema>, prefix: string[]): FieldSpec[] {
  const out: FieldSpec[] = [];
  for (const [key, schema] of Object.entries(shape)) {
    const path = [...prefix, key];
    const { inner, required, nullable, fallback } = unwrap(schema);
    const base = { name: path.join("."), key, required, nullable, fallback };
    const t = inner.def.type;
    const hint = kind.formFields?.[path.join(".")];
    // A generated value is the schema's default: the form never sends it, so a save keeps the saved one.
    if (hint?.kind === "generated") {
      if (hint.show === "readonly") out.push({ ...base, kind: "readonly", required: false, fallback: undefined });
    } else if (hint?.kind === "list") out.push({ ...base, kind: "list" });
    else if (hint?.kind === "channel") out.push({ ...base, kind: "channel", channelType: hint.type });
    else if (hint?.kind === "team") out.push({ ...base, kind: "team" });
    else if (t === "object") out.push({ ...base, kind: "group", children: describe(kind, (inner as any).shape, path) });
    else if (isSecret(kind, path)) out.push({ ...base, kind: "secret", destinations: kind.secretDestinations?.[path.join(".")] });
    else if (t === "string") out.push({ ...base, kind: "text", format: (inner as any).format ?? undefined });
    else if (t === "number" || t === "int" || t === "bigint") out.push({ ...base, kind: "number" });
    else if (t === "boolean") out.push({ ...base, kind: "boolean" });
    else if (t === "enum") out.push({ ...base, kind: "enum", options: (inner as any).options.map(String) });
    else if (t === "literal") out.push({ ...base, kind: "enum", options: [...inner.def.values].map(String) });
    // Arrays, records, unions: not something a form edits; existing values are kept on save.
  }
  return out;
}

export function configFields(kind: ChannelKind): FieldSpec[] {
  const { inner } = unwrap(kind.configSchema as AnySchema);
  return inner.def.type === "object" ? describe(kind, (inner as any).shape, []) : [];
}

const at = (obj: unknown, path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), obj);

/**
 * A saved secret goes only where it was saved for: the form names another host, port or user, so
 * a blank password must not fill in with the saved one (a Test or Save would hand it to a server
 * the admin, or someone with their session, just typed).
 */
const sentElsewhere = (f: FieldSpec, form: FormValues, saved: Record<string, unknown>) =>
  (f.destinations ?? []).some((d) => text(form, `config.${d}`).trim() !== String(at(saved, d.split(".")) ?? "").trim());

/** Secret fields left blank whose saved value cannot be kept because the form sends it elsewhere. */
export function secretsToRetype(fields: FieldSpec[], form: FormValues, saved: Record<string, unknown> | null): string[] {
  if (!saved) return [];
  return fields.flatMap((f) =>
    f.kind === "group" ? secretsToRetype(f.children!, form, saved)
    : f.kind === "secret" && !text(form, `config.${f.name}`) && hasSaved(f, saved) && sentElsewhere(f, form, saved) ? [f.name] : [],
  );
}

/**
 * Form -> config object to validate. Blank secrets keep the saved value unless the form sends
 * them elsewhere (secretsToRetype); blank optional fields become null when the schema takes null
 * (so clearing a field clears it), else are left out.
 */
export function formToConfig(fields: FieldSpec[], form: FormValues, saved: Record<string, unknown> | null): Record<string, unknown> {
  const build = (specs: FieldSpec[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const f of specs) {
      const raw = text(form, `config.${f.name}`);
      let v: unknown;
      if (f.kind === "group") {
        const child = build(f.children!);
        v = Object.keys(child).length || f.required ? child : undefined;
      } else if (f.kind === "boolean") v = list(form, `config.${f.name}`).includes("true");
      else if (f.kind === "secret") v = raw || (saved && !sentElsewhere(f, form, saved) ? at(saved, f.name.split(".")) : undefined);
      else if (f.kind === "readonly") v = undefined;
      else if (f.kind === "list") v = raw.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
      else if ((f.kind === "channel" || f.kind === "team") && raw !== "") v = /^\d+$/.test(raw) ? Number(raw) : raw;
      else if (raw === "") v = f.nullable && saved ? null : undefined;
      else if (f.kind === "number") v = Number.isFinite(Number(raw)) ? Number(raw) : raw;
      else v = raw;
      if (v !== undefined) out[f.key] = v;
    }
    return out;
  };
  return build(fields);
}

/** Values to show in the form: saved config (secrets blanked) or what was just posted. */
export function displayValue(f: FieldSpec, form: FormValues | null, saved: Record<string, unknown> | null): string {
  if (f.kind === "secret") return "";
  if (form && f.kind !== "readonly") return text(form, `config.${f.name}`);
  const v = saved ? at(saved, f.name.split(".")) : f.fallback;
  if (Array.isArray(v)) return v.map(String).join("\n");
  return v === undefined || v === null ? "" : String(v);
}

export function displayChecked(f: FieldSpec, form: FormValues | null, saved: Record<string, unknown> | null): boolean {
  if (form) return list(form, `config.${f.name}`).includes("true");
  return (saved ? at(saved, f.name.split(".")) : f.fallback) === true;
}

export const hasSaved = (f: FieldSpec, saved: Record<string, unknown> | null) => {
  const v = saved ? at(saved, f.name.split(".")) : undefined;
  return v !== undefined && v !== null && v !== "";
};
