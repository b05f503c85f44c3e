/**
 * A protobuf message held in memory as its list of fields, each kept as the bytes it was read
 * from: enough to edit the small parts of an ONNX model (nodes, graph inputs and outputs,
 * attributes, tensor headers) and write it back with every field fr2en does not touch unchanged.
 * The weights never pass through here: prepare.ts moves them to a data file first
 * (external-data.ts), so what is left of a model is a few hundred kilobytes.
 */
import { varint } from './fields.js';

export interface MessageField {
  /** Field number (onnx.proto). */
  readonly number: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  readonly wire: number;
  /** Wire type 2: the content (after the length). Others: the value's own bytes. */
  readonly data: Buffer;
}

/** Reads a varint at `at`; throws on a truncated one. */
export function readVarint(buffer: Buffer, at: number): { value: bigint; next: number } {
  let value = 0n;
  for (let i = 0; i < 10 && at + i < buffer.length; i++) {
    const byte = buffer[at + i];
    value |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) return { value, next: at + i + 1 };
  }
  throw new RangeError(`a malformed varint at byte ${at}`);
}

export function decodeMessage(buffer: Buffer): MessageField[] {
  const fields: MessageField[] = [];
  let at = 0;
  while (at < buffer.length) {
    const key = readVarint(buffer, at);
    const number = Number(key.value >> 3n);
    const wire = Number(key.value & 7n);
    at = key.next;
    let end: number;
    let start = at;
    if (wire === 0) end = readVarint(buffer, at).next;
    else if (wire === 1) end = at + 8;
    else if (wire === 5) end = at + 4;
    else if (wire === 2) {
      const length = readVarint(buffer, at);
      start = length.next;
      end = start + Number(length.value);
    } else throw new RangeError(`unexpected protobuf wire type ${wire} at byte ${at}`);
    if (end > buffer.length) throw new RangeError(`a field runs past the end of its message (byte ${end} of ${buffer.length})`);
    fields.push({ number, wire, data: buffer.subarray(start, end) });
    at = end;
  }
  return fields;
}

export function encodeMessage(fields: readonly MessageField[]): Buffer {
  const parts: Buffer[] = [];
  for (const field of fields) {
    parts.push(varint((field.number << 3) | field.wire));
    if (field.wire === 2) parts.push(varint(field.data.length));
    parts.push(field.data);
  }
  return Buffer.concat(parts);
}

export function stringValue(field: MessageField): string {
  return field.data.toString('utf8');
}

export function intValue(field: MessageField): bigint {
  return BigInt.asIntN(64, readVarint(field.data, 0).value);
}

/** The values of every `number` field that is a string (or bytes read as UTF-8). */
export function strings(fields: readonly MessageField[], number: number): string[] {
  return fields.filter((f) => f.number === number && f.wire === 2).map(stringValue);
}

export function firstString(fields: readonly MessageField[], number: number): string | undefined {
  const field = fields.find((f) => f.number === number && f.wire === 2);
  return field === undefined ? undefined : stringValue(field);
}

export function stringField(number: number, text: string): MessageField {
  return { number, wire: 2, data: Buffer.from(text, 'utf8') };
}

export function messageField(number: number, fields: readonly MessageField[]): MessageField {
  return { number, wire: 2, data: encodeMessage(fields) };
}

export function intField(number: number, value: number | bigint): MessageField {
  return { number, wire: 0, data: varint(value) };
}
