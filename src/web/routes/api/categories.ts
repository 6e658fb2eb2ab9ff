// /api/v1/categories: the shop's own categories (tag, examples, learn from agents' labels) that
// Pano learns on the box and suggests on customer messages; POST /categories/suggest tries a text.
import { Hono } from "hono";
import { z } from "zod";
import type { Pano } from "../../../pano.ts";
import type { Env } from "../../auth.ts";
import { requireRole } from "../../auth.ts";
import { PanoError } from "../../../domain/errors.ts";
import { listCategories, categoryById, saveCategory, deleteCategory, type Category } from "../../../store/categories.ts";
import { idParam, readJson, pageById, patchOf } from "./input.ts";
import { iso, sid } from "./present.ts";

export const categorySchema = z.object({
  tag: z.string().trim().min(1).max(50),
  examples: z.array(z.string().trim().min(1).max(1000)).max(200).default([]),
  from_labels: z.boolean().default(true),
});

const present = (c: Category) => ({ id: sid(c.id), tag: c.tag, examples: c.examples, from_labels: c.fromLabels, created_at: iso(c.createdAt), updated_at: iso(c.updatedAt) });
const round = (x: number) => Math.round(x * 1000) / 1000;

export function categoryRoutes(pano: Pano) {
  const app = new Hono<Env>();
  const db = pano.store.sqlite;
  const admin = requireRole("admin");
  const managers = requireRole("admin", "supervisor");
  const input = (b: z.output<typeof categorySchema>) => {
    // A tag needs something to learn from: examples, or agents' labels to learn them from.
    if (!b.examples.length && !b.from_labels) throw new PanoError("validation_failed", "examples: give a few examples, or learn from labels", "examples");
    return { tag: b.tag, examples: [...new Set(b.examples)], fromLabels: b.from_labels };
  };

  app.get("/", managers, (c) => c.json(pageById(c, listCategories(db).map(present), (x) => Number(x.id))));
  app.post("/", admin, async (c) => {
    const saved = await saveCategory(db, pano.writer, input(await readJson(c, categorySchema)), null, c.get("user").id);
    await pano.categories.soon();
    return c.json(present(saved), 201);
  });
  app.post("/suggest", async (c) => {
    const { text } = await readJson(c, z.object({ text: z.string().max(20_000) }));
    const suggested = new Set(pano.categories.suggest(text).map((s) => s.tag));
    return c.json({ data: pano.categories.scores(text).map((s) => ({ tag: s.tag, confidence: round(s.confidence), suggested: suggested.has(s.tag) })) });
  });
  app.get("/:id", managers, (c) => {
    const cat = categoryById(db, idParam(c));
    if (!cat) throw new PanoError("not_found", "Not found");
    return c.json(present(cat));
  });
  app.patch("/:id", admin, async (c) => {
    const cur = categoryById(db, idParam(c));
    if (!cur) throw new PanoError("not_found", "Not found");
    const patch = await readJson(c, patchOf(categorySchema));
    const merged = { tag: patch.tag ?? cur.tag, examples: patch.examples ?? cur.examples, from_labels: patch.from_labels ?? cur.fromLabels };
    const saved = await saveCategory(db, pano.writer, input(merged), cur.id, c.get("user").id);
    await pano.categories.soon();
    return c.json(present(saved));
  });
  app.delete("/:id", admin, async (c) => {
    if (!(await deleteCategory(pano.writer, idParam(c), c.get("user").id))) throw new PanoError("not_found", "Not found");
    await pano.categories.soon();
    return c.body(null, 204);
  });
  return app;
}
