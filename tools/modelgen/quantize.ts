/**
 * Symmetric int8 weight quantization and the two ways the graph uses it:
 * - matmuls: DynamicQuantizeLinear(x) -> MatMulInteger(x_u8, W_s8) -> Cast -> Mul(x_scale *
 *   w_scale) -> Add(bias). onnxruntime fuses this into one DynamicQuantizeMatMul kernel (the
 *   pattern its own quantize_dynamic writes), which is what makes q8 fast on CPU.
 * - embeddings: Gather int8 rows, then Cast and multiply by each row's scale.
 * Scales are per output channel (per column of W, per row of the embedding), zero point 0.
 */

export interface QuantizedMatrix {
  readonly values: Int8Array;
  /** One scale per channel: value = int8 * scale. */
  readonly scales: Float32Array;
}

/**
 * Quantizes a row-major [rows, cols] matrix with one scale per column (axis 1) or per row
 * (axis 0). Zero channels get scale 1 so dequantization never divides by zero.
 */
export function quantizeSymmetric(data: Float32Array, rows: number, cols: number, axis: 0 | 1): QuantizedMatrix {
  const channels = axis === 1 ? cols : rows;
  const maxAbs = new Float32Array(channels);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const a = Math.abs(data[r * cols + c]);
      const ch = axis === 1 ? c : r;
      if (a > maxAbs[ch]) maxAbs[ch] = a;
    }
  }
  const scales = new Float32Array(channels);
  for (let ch = 0; ch < channels; ch++) scales[ch] = maxAbs[ch] > 0 ? maxAbs[ch] / 127 : 1;
  const values = new Int8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const s = scales[axis === 1 ? c : r];
      // Math.round is deterministic; clamp guards the float error at exactly +-127.
      values[r * cols + c] = Math.max(-127, Math.min(127, Math.round(data[r * cols + c] / s)));
    }
  }
  return { values, scales };
}

/** Transposes a row-major int8 [rows, cols] matrix to [cols, rows]. */
export function transposeInt8(data: Int8Array, rows: number, cols: number): Int8Array {
  const out = new Int8Array(data.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  }
  return out;
}
