// `npm run build`: one executable, dist/pano, that runs with no node_modules beside it.
// Migrations, the triage model and the web assets are imported by the code, so the bundler
// embeds them; nothing is read from the source tree at run time.
import { rmSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";

const root = resolve(import.meta.dir, "..");
const args = process.argv.slice(2);
const outIdx = args.indexOf("--outfile");
const outfile = outIdx >= 0 ? args[outIdx + 1] : resolve(root, "dist/pano");
const target = args.includes("--target") ? args[args.indexOf("--target") + 1] : undefined;

// --no-sourcemap: 2.6 MB less, for the Docker image's size budget; stack traces then name minified functions.
const sourcemap = args.includes("--no-sourcemap") ? [] : ["--sourcemap"];
// Worker threads are entrypoints of their own in a compiled executable (email's mail reader, the WAL's checkpoints, the search index, the ingest thread).
const workers = [resolve(root, "src/channels/email/read-worker.ts"), resolve(root, "src/store/checkpoint-worker.ts"), resolve(root, "src/store/search-index-worker.ts"), resolve(root, "src/pipeline/ingest-worker.ts"), resolve(root, "src/store/postgres/connection-worker.ts")];
const cmd = [process.execPath, "build", "--compile", "--minify", ...sourcemap, resolve(root, "src/main.ts"), ...workers, "--outfile", outfile];
if (target) cmd.push(`--target=${target}`);
const started = performance.now();
const p = Bun.spawn(cmd, { cwd: root, stdout: "inherit", stderr: "inherit" });
const code = await p.exited;
if (code !== 0) {
  console.error(`build failed (exit ${code})`);
  process.exit(code);
}
// The executable embeds its source map; the loose copy Bun also writes would only be one more file to ship.
rmSync(`${outfile}.map`, { force: true });
for (const w of workers) rmSync(resolve(dirname(outfile), `${basename(w, ".ts")}.js.map`), { force: true });
const size = Bun.file(outfile).size;
console.log(`built ${outfile}: ${(size / 1024 / 1024).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
