// The shop's own categories, learned on the box: the model is rebuilt from the examples (admins'
// and agents' labels) when an admin changes a category, at start, and every few hours as agents
// label more conversations. Learning takes a fraction of a second and runs on the event loop, so it
// happens only when the examples actually changed (compared by a digest), never per message.
import type { Database } from "bun:sqlite";
import type { Logger } from "../log.ts";
import { learnCategories, suggestCategories, categoryScores, type CategoryModel, type Suggestion } from "../domain/triage/custom-categories.ts";
import { trainingCorpus } from "../domain/triage/corpus.ts";
import { learningExamples } from "../store/categories.ts";

/** How often agents' new labels are looked for. */
const RELEARN_EVERY_MS = 6 * 3600_000;

let backgroundTexts: string[] | null = null;
/** Text known to be about none of a shop's tags: the shipped corpus's hand-written messages. */
const background = () => (backgroundTexts ??= trainingCorpus().filter((l) => !l.variant).map((l) => l.text));

export class CategoryLearner {
  private model: CategoryModel | null = null;
  private digest = "";
  private timer: ReturnType<typeof setInterval> | null = null;
  private pending: ReturnType<typeof setTimeout> | null = null;
  private waiters: (() => void)[] = [];

  constructor(private db: Database, private log: Logger) {}

  /** The tags to suggest for a message (empty while the shop has none). */
  suggest(text: string): Suggestion[] {
    return this.model ? suggestCategories(this.model, text) : [];
  }

  /** Every tag's confidence, for an admin trying a sentence. */
  scores(text: string): Suggestion[] {
    return this.model ? categoryScores(this.model, text) : [];
  }

  get tags(): string[] {
    return this.model?.tags ?? [];
  }

  /** Relearns now if the examples changed; returns whether it did. */
  relearn(): boolean {
    const examples = learningExamples(this.db);
    const digest = String(Bun.hash(JSON.stringify(examples)));
    if (digest === this.digest) return false;
    const started = performance.now();
    this.model = examples.length ? learnCategories(examples, background()) : null;
    this.digest = digest;
    this.log("info", "categories learned", { tags: this.model?.tags.length ?? 0, examples: examples.length, ms: Math.round(performance.now() - started) });
    return true;
  }

  /** After an admin's change: relearn once the request has been answered; resolves when done. */
  soon(): Promise<void> {
    if (!this.pending) {
      this.pending = setTimeout(() => {
        this.pending = null;
        try {
          this.relearn();
        } catch (err) {
          this.log("error", "categories: learning failed", { error: String(err) });
        }
        for (const w of this.waiters.splice(0)) w();
      }, 0);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  start(): void {
    void this.soon();
    this.timer = setInterval(() => void this.soon(), RELEARN_EVERY_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.pending) clearTimeout(this.pending);
    this.timer = this.pending = null;
    for (const w of this.waiters.splice(0)) w();
  }
}
