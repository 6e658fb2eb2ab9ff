// A tiny flag parser: --name value, --name=value, --flag. Unknown flags are errors (exit 2).
export class UsageError extends Error {}

export interface FlagSpec {
  [name: string]: "string" | "boolean";
}

export function parseFlags(argv: string[], spec: FlagSpec): { flags: Record<string, string | boolean>; rest: string[] } {
  const flags: Record<string, string | boolean> = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) {
      rest.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown flag --${name}`);
    if (kind === "boolean") flags[name] = true;
    else {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`--${name} needs a value`);
      flags[name] = v;
    }
  }
  return { flags, rest };
}
