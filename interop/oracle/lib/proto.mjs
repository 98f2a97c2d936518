// A minimal protobuf reader for peeking into what libsignal hands node only as bytes (session records, SPQR
// state, SignalMessage fields). Varint, fixed and length-delimited fields only; groups are refused.

/** Reads a varint at `pos`; returns [value as BigInt, position after it]. */
export function readVarint(buf, pos) {
  let value = 0n, shift = 0n;
  for (;;) {
    const byte = buf[pos++];
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [value, pos];
    shift += 7n;
  }
}

/**
 * Every field, in order, as { tag, wire, value, raw }: value is a BigInt for a varint and a subarray of `buf` for
 * fixed and length-delimited fields; raw is the whole field, key included, so that a field can be copied untouched.
 */
export function readFields(buf) {
  const out = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    let key, value;
    [key, pos] = readVarint(buf, pos);
    const tag = Number(key >> 3n), wire = Number(key & 7n);
    if (wire === 0) [value, pos] = readVarint(buf, pos);
    else if (wire === 2) {
      let len;
      [len, pos] = readVarint(buf, pos);
      value = buf.subarray(pos, pos + Number(len));
      pos += Number(len);
    } else if (wire === 1) { value = buf.subarray(pos, pos + 8); pos += 8; }
    else if (wire === 5) { value = buf.subarray(pos, pos + 4); pos += 4; }
    else throw new Error(`unsupported protobuf wire type ${wire}`);
    out.push({ tag, wire, value, raw: buf.subarray(start, pos) });
  }
  return out;
}

/** The first value of field `tag` (any wire type), or undefined. */
export const firstValue = (buf, tag) => readFields(buf).find(f => f.tag === tag)?.value;

/** The first length-delimited value of field `tag`, or undefined. */
export const firstBytes = (buf, tag) => readFields(buf).find(f => f.tag === tag && f.wire === 2)?.value;

/** The last length-delimited value of field `tag` (protobuf's "last one wins" for a repeated scalar), or undefined. */
export const lastBytes = (buf, tag) => readFields(buf).filter(f => f.tag === tag && f.wire === 2).at(-1)?.value;
