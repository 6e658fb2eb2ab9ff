// A shop's own categories (migrations/0017_custom_categories.sql): each tag with the examples an
// admin gave; `from_labels` also learns from conversations agents labelled with the same name.
// The suggestions for a conversation live in conversations.categories (schema.ts).
import { sqliteTable, integer, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const categories = sqliteTable(
  "categories",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tag: text("tag").notNull(),
    tagKey: text("tag_key").notNull(), // folded (no case, no diacritics): "Bảo hành" and "bao hanh" are one tag
    examples: text("examples").notNull().default("[]"), // JSON array of example texts
    fromLabels: integer("from_labels").notNull().default(1),
    createdBy: integer("created_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("categories_tag_key").on(t.tagKey)],
);
