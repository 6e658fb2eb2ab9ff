// Variables in canned replies and macro replies: `{{contact.name}}`, `{{agent.name}}`,
// `{{conversation.id}}`, `{{contact.attributes.<key>}}`... filled from the conversation at hand.
// A value that is missing stays in the text as its placeholder, so the agent sees what is missing
// and the composer asks before it goes to a customer.

export const FIXED_VARIABLES = ["contact.name", "contact.phone", "contact.email", "agent.name", "conversation.id"] as const;
const ATTRIBUTE_PREFIX = "contact.attributes.";

/** `{{ name }}`: spaces inside the braces are allowed; a name never holds braces or a line break. */
const PLACEHOLDER = /\{\{\s*([^{}\n]+?)\s*\}\}/g;

export interface VariableValues {
  contact: { name: string | null; phone: string | null; email: string | null; attributes: Record<string, unknown> };
  agent: { name: string | null };
  conversation: { id: number };
}

export interface Filled {
  text: string;
  /** Known variables without a value (in the order met, each once), left in `text` as placeholders. */
  missing: string[];
  /** Placeholders that name no variable (a typo): left as written. */
  unknown: string[];
}

export function isKnownVariable(name: string): boolean {
  return (FIXED_VARIABLES as readonly string[]).includes(name) || (name.startsWith(ATTRIBUTE_PREFIX) && name.length > ATTRIBUTE_PREFIX.length);
}

/** An attribute's value as text: strings as they are, numbers and booleans written out, nothing for empty or nested data. */
function attributeValue(v: unknown): string | null {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return null;
}

function valueOf(name: string, v: VariableValues): string | null {
  switch (name) {
    case "contact.name": return v.contact.name;
    case "contact.phone": return v.contact.phone;
    case "contact.email": return v.contact.email;
    case "agent.name": return v.agent.name;
    case "conversation.id": return String(v.conversation.id);
  }
  if (!name.startsWith(ATTRIBUTE_PREFIX)) return null;
  const key = name.slice(ATTRIBUTE_PREFIX.length);
  return Object.hasOwn(v.contact.attributes, key) ? attributeValue(v.contact.attributes[key]) : null;
}

const once = (list: string[], name: string) => void (list.includes(name) || list.push(name));

/** The text with every known variable that has a value filled in. */
export function fillVariables(text: string, values: VariableValues): Filled {
  const missing: string[] = [];
  const unknown: string[] = [];
  const out = text.replace(PLACEHOLDER, (whole, name: string) => {
    if (!isKnownVariable(name)) {
      once(unknown, whole);
      return whole;
    }
    const value = valueOf(name, values)?.trim();
    if (value) return value;
    once(missing, name);
    return `{{${name}}}`;
  });
  return { text: out, missing, unknown };
}

/** Known variables still in a text about to be sent: values that were missing when it was filled. */
export function unfilledVariables(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) if (isKnownVariable(m[1])) once(names, m[1]);
  return names;
}

/** Placeholders in a reply being saved that name no variable (shown to whoever writes it). */
export function unknownVariables(text: string): string[] {
  return fillVariables(text, { contact: { name: "x", phone: "x", email: "x", attributes: {} }, agent: { name: "x" }, conversation: { id: 1 } }).unknown;
}
