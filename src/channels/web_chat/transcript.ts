// The transcript as the widget reads it: only what a visitor should see of their own messages.
import type { TranscriptItem } from "../../store/customer-transcript.ts";

export function presentTranscript(items: TranscriptItem[], publicUrl: string) {
  return items.map((m) => ({
    id: m.id,
    mine: m.direction === "in",
    text: m.text,
    status: m.direction === "in" ? (m.seen ? "read" : "sent") : m.status === "failed" ? "failed" : "sent",
    at: m.createdAt,
    author: m.authorName,
    survey: m.survey ?? null,
    files: m.attachments.map((a) => ({
      name: a.name, type: a.contentType, size: a.size, image: a.kind === "image",
      url: a.path ? `${publicUrl}/files/${a.path.split("/").pop()}` : null,
    })),
  }));
}
