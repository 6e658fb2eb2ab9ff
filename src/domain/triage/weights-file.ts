// The weights file: only buckets with a non-zero weight, bucket numbers as base64 varint
// deltas, weights as base64 int8 with one scale per output. ~5 bytes a used bucket.
import { OUTPUTS, type Model } from "./model.ts";

export const FORMAT = "pano-triage/1";

export interface ModelFile {
  format: typeof FORMAT;
  buckets: number;
  outputs: number;
  urgentThreshold: number;
  bias: number[];
  scales: number[];
  rows: string;
  values: string;
  meta: Record<string, unknown>;
}

export class ModelFormatError extends Error {}

export function encodeModel(model: Model): ModelFile {
  const { buckets, weights } = model;
  const scales = Array.from({ length: OUTPUTS }, (_, k) => {
    let max = 0;
    for (let b = 0; b < buckets; b++) max = Math.max(max, Math.abs(weights[b * OUTPUTS + k]));
    return max / 127 || 1;
  });
  const rowBytes: number[] = [];
  const values: number[] = [];
  let last = -1;
  for (let b = 0; b < buckets; b++) {
    const q = scales.map((s, k) => Math.round(weights[b * OUTPUTS + k] / s));
    if (q.every((v) => v === 0)) continue;
    for (let d = b - last; ; d >>>= 7) {
      if (d < 0x80) {
        rowBytes.push(d);
        break;
      }
      rowBytes.push((d & 0x7f) | 0x80);
    }
    last = b;
    for (const v of q) values.push(v & 0xff);
  }
  return {
    format: FORMAT, buckets, outputs: OUTPUTS, urgentThreshold: model.urgentThreshold, bias: Array.from(model.bias),
    scales, rows: Buffer.from(rowBytes).toString("base64"), values: Buffer.from(values).toString("base64"), meta: model.meta,
  };
}

export function decodeModel(file: ModelFile): Model {
  if (!file || file.format !== FORMAT || file.outputs !== OUTPUTS || !(file.buckets > 0) || (file.buckets & (file.buckets - 1)) !== 0) {
    throw new ModelFormatError(`not a ${FORMAT} triage model`);
  }
  const rows = Buffer.from(file.rows, "base64");
  const values = new Int8Array(Buffer.from(file.values, "base64"));
  const weights = new Float32Array(file.buckets * OUTPUTS);
  let bucket = -1;
  let v = 0;
  for (let i = 0; i < rows.length; ) {
    let d = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = rows[i++];
      d |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    bucket += d;
    if (bucket >= file.buckets || v + OUTPUTS > values.length) throw new ModelFormatError("triage model weights are truncated");
    for (let k = 0; k < OUTPUTS; k++) weights[bucket * OUTPUTS + k] = values[v++] * file.scales[k];
  }
  return { buckets: file.buckets, weights, bias: Float32Array.from(file.bias), urgentThreshold: file.urgentThreshold, meta: file.meta ?? {} };
}

/** What training hands back is exactly what ships: quantised through the file format. */
export function asShipped(model: Model): Model {
  return decodeModel(encodeModel(model));
}
