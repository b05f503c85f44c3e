/**
 * Just enough protobuf to look inside an ONNX file (a ModelProto) without reading the weights: a
 * reader that walks field headers and reads only the small fields it is asked for.
 */
import type { FileHandle } from 'node:fs/promises';

export interface Field {
  /** Where the field's tag starts. */
  offset: number;
  /** Field number (onnx.proto). */
  number: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  wire: number;
  /** Content, as offsets into the file: for wire type 2, the bytes after the length. */
  start: number;
  end: number;
}

export type Fail = (problem: string) => never;

/** Reads protobuf field headers of a file through a small buffer. */
export class FieldReader {
  readonly #handle: FileHandle;
  readonly #buffer = Buffer.alloc(64 * 1024);
  #bufferStart = 0;
  #bufferEnd = 0;

  constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  /** The fields in [from, to), in order. A field running past `to` is reported through `fail`. */
  async fields(from: number, to: number, fail: Fail): Promise<Field[]> {
    const fields: Field[] = [];
    let at = from;
    while (at < to) {
      const offset = at;
      const tag = await this.#varint(at, to, fail);
      at = tag.next;
      const number = Number(tag.value >> 3n);
      const wire = Number(tag.value & 7n);
      let start = at;
      let end: number;
      if (wire === 0) end = (await this.#varint(at, to, fail)).next;
      else if (wire === 1) end = at + 8;
      else if (wire === 5) end = at + 4;
      else if (wire === 2) {
        const length = await this.#varint(at, to, fail);
        start = length.next;
        end = start + Number(length.value);
      } else return fail(`unexpected protobuf wire type ${wire} at byte ${at}`);
      if (number === 0) fail(`field number 0 at byte ${at}`);
      if (end > to) fail(`a field ends at byte ${end}, past the end of its container at byte ${to}: the file is truncated`);
      fields.push({ offset, number, wire, start, end });
      at = end;
    }
    return fields;
  }

  /** The bytes of a (small) field's content. */
  async bytes(field: Pick<Field, 'start' | 'end'>): Promise<Buffer> {
    const out = Buffer.alloc(field.end - field.start);
    await this.#handle.read(out, 0, out.length, field.start);
    return out;
  }

  async #varint(at: number, limit: number, fail: Fail): Promise<{ value: bigint; next: number }> {
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      if (at + i >= limit) fail(`a field header is cut at byte ${at + i}: the file is truncated`);
      const byte = await this.#byte(at + i);
      value |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) return { value, next: at + i + 1 };
    }
    return fail(`a malformed field header at byte ${at}`);
  }

  async #byte(position: number): Promise<number> {
    if (position < this.#bufferStart || position >= this.#bufferEnd) {
      const { bytesRead } = await this.#handle.read(this.#buffer, 0, this.#buffer.length, position);
      this.#bufferStart = position;
      this.#bufferEnd = position + bytesRead;
      if (bytesRead === 0) return 0x80; // past the end: the caller's limit check reports it
    }
    return this.#buffer[position - this.#bufferStart];
  }
}

/** A protobuf varint (message.ts encodes with it). */
export function varint(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value)); // negative int64s are ten bytes, as protobuf has them
  const bytes: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    bytes.push(byte);
  } while (v !== 0n);
  return Buffer.from(bytes);
}
