// Base64 at the oracle's JSON boundary: every area sends and receives binary values as base64 strings.

/** Encodes bytes (Uint8Array, Buffer) as a base64 string. */
export const toB64 = bytes => Buffer.from(bytes).toString('base64');

/** Decodes a base64 string to a fresh Uint8Array; null and undefined stay null (optional arguments). */
export const fromB64 = text => (text === null || text === undefined) ? null : new Uint8Array(Buffer.from(text, 'base64'));
