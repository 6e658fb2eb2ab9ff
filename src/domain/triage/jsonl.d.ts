// Corpus files are imported as text so `bun build --compile` embeds them (retrain needs them).
declare module "*.jsonl" {
  const text: string;
  export default text;
}
