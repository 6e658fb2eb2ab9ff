// The contact panel's edit form: reading it from a body, and checking it the way the store will
// store it (phones as normalisePhone writes them, emails as the API accepts them).
import { z } from "zod";
import { normalisePhone } from "../../../domain/contact.ts";
import type { ContactPatch, ContactRow } from "../../../store/contacts.ts";
import type { MessageKey } from "../../../../views/i18n/index.ts";
import type { ContactForm } from "../../../../views/contact/edit-form.tsx";

const MAX_NAME = 200;
const MAX_KEY = 100;
const MAX_VALUE = 1000;
const MAX_ROWS = 100;
const email = z.string().email();

/** Attribute values may be any JSON (from the API); the form shows them as text. */
export const attributeText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

export function formOf(k: ContactRow): ContactForm {
  const attrs = Object.entries(JSON.parse(k.attributes) as Record<string, unknown>).map(([key, v]): [string, string] => [key, attributeText(v)]);
  return { name: k.name ?? "", phone: k.phone ?? "", email: k.email ?? "", attrs };
}

export function formFromBody(body: Record<string, unknown>): ContactForm {
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const rows = Object.keys(body)
    .map((k) => /^attr_key_(\d+)$/.exec(k))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b)
    .slice(0, MAX_ROWS);
  return { name: str(body.name), phone: str(body.phone), email: str(body.email), attrs: rows.map((i): [string, string] => [str(body[`attr_key_${i}`]), str(body[`attr_value_${i}`])]) };
}

type Invalid = { error: { field: string; key: MessageKey; vars?: Record<string, string | number> } };
type Valid = { patch: ContactPatch; changed: string[] };

export function validateContactForm(form: ContactForm, current: ContactRow): Valid | Invalid {
  const name = form.name.trim();
  if (name.length > MAX_NAME) return { error: { field: "name", key: "contact.name_too_long" } };
  const rawPhone = form.phone.trim();
  const phone = rawPhone ? normalisePhone(rawPhone) : null;
  // Letters would be dropped silently by normalisePhone: "09x abc" is a typo, not a number.
  if (rawPhone && (!phone || /[^\d+\s().\-]/.test(rawPhone))) return { error: { field: "phone", key: "contact.phone_invalid", vars: { phone: rawPhone } } };
  const rawEmail = form.email.trim();
  if (rawEmail && !email.safeParse(rawEmail).success) return { error: { field: "email", key: "contact.email_invalid", vars: { email: rawEmail } } };

  const before = JSON.parse(current.attributes) as Record<string, unknown>;
  const seen = new Set<string>();
  const set: Record<string, unknown> = {};
  for (const [i, [k, v]] of form.attrs.entries()) {
    const key = k.trim();
    const value = v.trim();
    if (!key && !value) continue;
    if (!key) return { error: { field: `attr_${i}`, key: "contact.attr_key_missing", vars: { value } } };
    if (seen.has(key)) return { error: { field: `attr_${i}`, key: "contact.attr_key_duplicate", vars: { key } } };
    if (key.length > MAX_KEY || value.length > MAX_VALUE) return { error: { field: `attr_${i}`, key: "contact.attr_too_long", vars: { key: key.slice(0, 40) } } };
    seen.add(key);
    // An untouched value keeps its JSON type (a number from the API stays a number).
    if (!(key in before) || attributeText(before[key]) !== value) set[key] = value;
  }
  const removed = Object.keys(before).filter((k) => !seen.has(k));

  const patch: ContactPatch = {};
  const changed: string[] = [];
  if ((name || null) !== current.name) { patch.name = name || null; changed.push("name"); }
  if (phone !== current.phone) { patch.phone = phone; changed.push("phone"); }
  const mail = rawEmail ? rawEmail.toLowerCase() : null;
  if (mail !== current.email) { patch.email = mail; changed.push("email"); }
  if (Object.keys(set).length) { patch.attributes = set; changed.push("attributes"); }
  if (removed.length) { patch.removeAttributes = removed; if (!changed.includes("attributes")) changed.push("attributes"); }
  return { patch, changed };
}
