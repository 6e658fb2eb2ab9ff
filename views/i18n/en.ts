// The English catalogue; same keys as vi.ts (the type makes a missing key a compile error).
import type { MessageKey } from "./vi.ts";

export const en: Record<MessageKey, string> = {
  // --- common ---
  "app.name": "Pano",
  "app.tagline": "One inbox for Zalo, Messenger and email",
  "common.save": "Save",
  "common.cancel": "Cancel",
  "common.delete": "Delete",
  "common.edit": "Edit",
  "common.close": "Close",
  "common.search": "Search",
  "common.loading": "Loading…",
  "common.none": "None",
  "common.yes": "Yes",
  "common.no": "No",
  "error.csrf": "Your session changed. Reload the page and try again.",
  "error.not_found": "This page does not exist.",
  "error.generic": "Something went wrong. Please try again.",
  "time.just_now": "just now",
  "time.minutes": "{n} min",
  "time.hours": "{n} h",
  "time.days": "{n} d",
  // --- auth ---
  // --- inbox ---
  // --- conversation ---
  // --- contact ---
  // --- settings ---
  // --- routing ---
};
