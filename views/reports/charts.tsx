// The dashboard's charts, drawn on the server as SVG: no chart library and no script, so the
// reports page adds nothing to the inbox's JavaScript budget, prints, and works with scripts off.
// Each SVG scales to its container (viewBox, width 100%) with labels sized to stay readable at
// phone width; every bar, point and cell carries a <title> with its exact figure.
import type { ViewContext } from "../context.ts";

export interface ChartPoint { t: number; value: number | null }

const W = 520;
const H = 220;
const PAD = { l: 56, r: 12, t: 12, b: 34 };
const FONT = 17;
const INK = "#1f2937";
const GRID = "#d9dee7";
const BAR = "#2563eb";
const LINE = "#b45309";

function niceMax(v: number, floor = 1): number {
  v = Math.max(v, floor);
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v)!;
}

/** Which labels to write so they never overlap: about 8 across. */
const labelEvery = (n: number) => Math.max(1, Math.ceil(n / 8));

function Axis(props: { max: number; format: (v: number) => string; left: number }) {
  const ticks = [0, 0.5, 1].map((f) => f * props.max);
  const y = (v: number) => PAD.t + (H - PAD.t - PAD.b) * (1 - v / props.max);
  return (
    <g>
      {ticks.map((v) => (
        <g>
          <line x1={props.left} x2={W - PAD.r} y1={y(v)} y2={y(v)} stroke={GRID} stroke-width="1" />
          <text x={props.left - 6} y={y(v) + 5} text-anchor="end" font-size={FONT} fill={INK}>{props.format(v)}</text>
        </g>
      ))}
    </g>
  );
}

export function BarChart(props: { id: string; title: string; points: ChartPoint[]; label: (t: number) => string; format: (v: number) => string }) {
  const { points } = props;
  const max = niceMax(Math.max(0, ...points.map((p) => p.value ?? 0)), 2);
  const slot = (W - PAD.l - PAD.r) / Math.max(1, points.length);
  const every = labelEvery(points.length);
  const y = (v: number) => PAD.t + (H - PAD.t - PAD.b) * (1 - v / max);
  return (
    <figure class="chart" id={props.id}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-labelledby={`${props.id}-t`} font-family="system-ui, sans-serif">
        <title id={`${props.id}-t`}>{props.title}</title>
        <Axis max={max} format={props.format} left={PAD.l} />
        {points.map((p, i) => (
          <g>
            {p.value ? (
              <rect class="bar" x={PAD.l + i * slot + slot * 0.15} y={y(p.value)} width={slot * 0.7} height={y(0) - y(p.value)} fill={BAR}>
                <title>{`${props.label(p.t)}: ${props.format(p.value)}`}</title>
              </rect>
            ) : null}
            {i % every === 0 ? <text x={PAD.l + i * slot + slot / 2} y={H - 10} text-anchor="middle" font-size={FONT} fill={INK}>{props.label(p.t)}</text> : null}
          </g>
        ))}
      </svg>
      <figcaption>{props.title}</figcaption>
    </figure>
  );
}

/**
 * Durations over time (seconds): a line through the buckets that have a figure, a gap where none;
 * the scale is in whole minutes so the axis reads "0, 1 phút, 2 phút".
 */
export function LineChart(props: { id: string; title: string; points: ChartPoint[]; label: (t: number) => string; format: (v: number) => string }) {
  const { points } = props;
  const max = 60 * niceMax(Math.max(0, ...points.map((p) => p.value ?? 0)) / 60, 2);
  const left = 92; // room for "20 phút" at the axis
  const slot = (W - left - PAD.r) / Math.max(1, points.length);
  const every = labelEvery(points.length);
  const x = (i: number) => left + i * slot + slot / 2;
  const y = (v: number) => PAD.t + (H - PAD.t - PAD.b) * (1 - v / max);
  const runs: string[] = [];
  let run = "";
  points.forEach((p, i) => {
    if (p.value === null) {
      if (run) runs.push(run);
      run = "";
    } else run += `${run ? "L" : "M"}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`;
  });
  if (run) runs.push(run);
  return (
    <figure class="chart" id={props.id}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-labelledby={`${props.id}-t`} font-family="system-ui, sans-serif">
        <title id={`${props.id}-t`}>{props.title}</title>
        <Axis max={max} format={props.format} left={left} />
        {runs.map((d) => <path d={d} fill="none" stroke={LINE} stroke-width="3" />)}
        {points.map((p, i) => (
          <g>
            {p.value !== null ? <circle class="point" cx={x(i)} cy={y(p.value)} r="4.5" fill={LINE}><title>{`${props.label(p.t)}: ${props.format(p.value)}`}</title></circle> : null}
            {i % every === 0 ? <text x={x(i)} y={H - 10} text-anchor="middle" font-size={FONT} fill={INK}>{props.label(p.t)}</text> : null}
          </g>
        ))}
      </svg>
      <figcaption>{props.title}</figcaption>
    </figure>
  );
}

/** Conversations opened by weekday (rows, Monday first) and hour (columns): when to staff. */
export function Heatmap(props: { id: string; title: string; grid: number[][]; days: string[]; c: ViewContext }) {
  const cell = 24;
  const left = 44;
  const top = 22;
  const max = Math.max(1, ...props.grid.flat());
  const w = left + 24 * cell + 4;
  const h = top + 7 * cell + 4;
  return (
    <figure class="chart" id={props.id}>
      <svg viewBox={`0 0 ${w} ${h}`} width="100%" role="img" aria-labelledby={`${props.id}-t`} font-family="system-ui, sans-serif">
        <title id={`${props.id}-t`}>{props.title}</title>
        {[0, 3, 6, 9, 12, 15, 18, 21].map((hr) => <text x={left + hr * cell + cell / 2} y={top - 6} text-anchor="middle" font-size="16" fill={INK}>{String(hr).padStart(2, "0")}</text>)}
        {props.grid.map((row, d) => (
          <g>
            <text x={left - 6} y={top + d * cell + cell / 2 + 5} text-anchor="end" font-size="16" fill={INK}>{props.days[d]}</text>
            {row.map((n, hr) => (
              <rect class="cell" x={left + hr * cell + 1} y={top + d * cell + 1} width={cell - 2} height={cell - 2} rx="3"
                fill={n ? BAR : "#eef1f5"} fill-opacity={n ? (0.15 + 0.85 * (n / max)).toFixed(2) : "1"}>
                <title>{`${props.days[d]} ${String(hr).padStart(2, "0")}:00: ${n}`}</title>
              </rect>
            ))}
          </g>
        ))}
      </svg>
      <figcaption>{props.title}</figcaption>
    </figure>
  );
}
