// Prometheus text exposition for /metrics, without a client library: counters, gauges, histograms.
type Labels = Record<string, string>;
// Called for every stored message and every acknowledgement: a plain loop, no arrays or regexes
// unless a value really holds a quote.
function key(name: string, l?: Labels): string {
  let out = "";
  for (const k in l) {
    const v = l[k];
    out += `${out ? "," : ""}${k}="${v.includes('"') ? v.replace(/"/g, '\\"') : v}"`;
  }
  return out ? `${name}{${out}}` : name;
}

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class Metrics {
  private counters = new Map<string, { name: string; help: string; values: Map<string, number> }>();
  private histograms = new Map<string, { help: string; values: Map<string, { labels: Labels; counts: number[]; sum: number; n: number }> }>();
  private gauges = new Map<string, { help: string; read: () => { labels?: Labels; value: number }[] }>();

  inc(name: string, help: string, labels?: Labels, by = 1): void {
    let c = this.counters.get(name);
    if (!c) this.counters.set(name, (c = { name, help, values: new Map() }));
    const k = key(name, labels);
    c.values.set(k, (c.values.get(k) ?? 0) + by);
  }

  observe(name: string, help: string, seconds: number, labels: Labels = {}): void {
    let h = this.histograms.get(name);
    if (!h) this.histograms.set(name, (h = { help, values: new Map() }));
    const k = key("", labels);
    let v = h.values.get(k);
    if (!v) h.values.set(k, (v = { labels, counts: BUCKETS.map(() => 0), sum: 0, n: 0 }));
    for (let i = BUCKETS.length - 1; i >= 0 && seconds <= BUCKETS[i]; i--) v.counts[i]++;
    v.sum += seconds;
    v.n++;
  }

  gauge(name: string, help: string, read: () => { labels?: Labels; value: number }[]): void {
    this.gauges.set(name, { help, read });
  }

  counter(name: string, labels?: Labels): number {
    return this.counters.get(name)?.values.get(key(name, labels)) ?? 0;
  }

  render(): string {
    const out: string[] = [];
    for (const c of this.counters.values()) {
      out.push(`# HELP ${c.name} ${c.help}`, `# TYPE ${c.name} counter`);
      for (const [k, v] of c.values) out.push(`${k} ${v}`);
    }
    for (const [name, g] of this.gauges) {
      out.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`);
      for (const r of g.read()) out.push(`${key(name, r.labels)} ${r.value}`);
    }
    for (const [name, h] of this.histograms) {
      out.push(`# HELP ${name} ${h.help}`, `# TYPE ${name} histogram`);
      for (const v of h.values.values()) {
        BUCKETS.forEach((b, i) => out.push(`${key(name + "_bucket", { ...v.labels, le: String(b) })} ${v.counts[i]}`));
        out.push(`${key(name + "_bucket", { ...v.labels, le: "+Inf" })} ${v.n}`, `${key(name + "_sum", v.labels)} ${v.sum}`, `${key(name + "_count", v.labels)} ${v.n}`);
      }
    }
    return out.join("\n") + "\n";
  }
}
