// Corpus files are imported `with { type: "file" }` so `bun build --compile` embeds them (retrain
// needs them): the default export is then the file's path (in the executable, its embedded copy).
declare module "*.jsonl" {
  const text: string;
  export default text;
}
