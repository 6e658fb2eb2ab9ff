// A tiny flag parser: --name value, --name=value, --flag. Unknown flags are errors (exit 2).
export class UsageError extends Error {}

export interface FlagSpec {
  /** "list": may be repeated; the values are joined with commas ("--channel 1 --channel 2" is "1,2"). */
  [name: string]: "string" | "boolean" | "list";
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
      flags[name] = kind === "list" && typeof flags[name] === "string" ? `${flags[name]},${v}` : v;
    }
  }
  return { flags, rest };
}
