// Macros (migration 0014_macros_canned_variables.sql): several actions an agent applies to a
// conversation in one step. Shared with everyone (team and owner null), with one team (team_id),
// or one person's own (owner_id). actions: JSON array of domain/macro.ts MacroAction.
import { sqliteTable, integer, text, index } from "drizzle-orm/sqlite-core";
import { teams, users } from "./schema.ts";

export const macros = sqliteTable(
  "macros",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    teamId: integer("team_id").references(() => teams.id),
    ownerId: integer("owner_id").references(() => users.id),
    actions: text("actions").notNull(),
    createdBy: integer("created_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("macros_team").on(t.teamId), index("macros_owner").on(t.ownerId)],
);
