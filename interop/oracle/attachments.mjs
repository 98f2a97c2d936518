// Attachment operations done the reference way, to check SignalSharp.Service.Attachments against:
//   encryption by the mock server's own encryptAttachment (@signalapp/mock-server src/crypto.js),
//   decryption written here from the format (iv ‖ AES-256-CBC ‖ HMAC-SHA256(iv ‖ cbc); digest = SHA-256(blob)),
//   HTTP/2 to the mock's CDN 3 (TUS creation-with-upload, GET) with the mock's CA.
// Large payloads travel as file paths, not base64, so a 30 MiB case stays cheap on the JSON pipe.
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http2 from 'node:http2';

const require = createRequire(import.meta.url);
const b64 = buf => Buffer.from(buf).toString('base64');
const sha256hex = buf => crypto.createHash('sha256').update(buf).digest('hex');

// Signal clients' bucket rule, as the JS clients compute it.
const padSize = size => Math.max(541, Math.floor(1.05 ** Math.ceil(Math.log(size) / Math.log(1.05))));

function request(origin, caCertPath, method, path, headers = {}, body = undefined) {
  const session = http2.connect(origin, { ca: fs.readFileSync(caCertPath) });
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': method, ':path': path, ...headers });
    const chunks = [];
    let head = {};
    stream.on('response', h => { head = h; });
    stream.on('data', c => chunks.push(c));
    stream.on('end', () => resolve({ status: head[':status'], headers: head, body: Buffer.concat(chunks) }));
    stream.on('error', reject);
    stream.end(body);
  }).finally(() => session.close());
}

function decrypt(blob, key, digest, size) {
  if (blob.length < 16 + 16 + 32) throw new Error(`blob of ${blob.length} bytes is too short`);
  if (!crypto.timingSafeEqual(crypto.createHash('sha256').update(blob).digest(), digest)) throw new Error('digest mismatch');
  const iv = blob.subarray(0, 16);
  const body = blob.subarray(16, blob.length - 32);
  const mac = blob.subarray(blob.length - 32);
  const expected = crypto.createHmac('sha256', key.subarray(32)).update(iv).update(body).digest();
  if (!crypto.timingSafeEqual(mac, expected)) throw new Error('MAC mismatch');
  const decipher = crypto.createDecipheriv('aes-256-cbc', key.subarray(0, 32), iv);
  const padded = Buffer.concat([decipher.update(body), decipher.final()]);
  if (padded.length < size) throw new Error(`plaintext of ${padded.length} bytes is shorter than size ${size}`);
  return { plaintext: padded.subarray(0, size), paddedLength: padded.length };
}

function describe(plaintext, paddedLength, outPath) {
  if (outPath) fs.writeFileSync(outPath, plaintext);
  return {
    length: plaintext.length,
    paddedLength,
    sha256: sha256hex(plaintext),
    base64: plaintext.length <= 4096 ? b64(plaintext) : null,
  };
}

export default {
  'attachments.padSizes': async ({ sizes }) => sizes.map(s => padSize(s)),

  // Downloads a pointer's blob from the mock's CDN and decrypts it: proof that what we uploaded is readable.
  'attachments.downloadAndDecrypt': async ({ origin, caCertPath, path, key, digest, size, outPath }) => {
    const response = await request(origin, caCertPath, 'GET', path);
    if (response.status !== 200) throw new Error(`GET ${path}: HTTP ${response.status}`);
    const { plaintext, paddedLength } = decrypt(response.body, Buffer.from(key, 'base64'), Buffer.from(digest, 'base64'), size);
    return { ...describe(plaintext, paddedLength, outPath), blobLength: response.body.length };
  },

  // Encrypts a file with the mock server's encryptAttachment and uploads it by TUS to an upload form's location.
  'attachments.encryptAndUpload': async ({ origin, caCertPath, uploadLocation, headers = {}, plaintextPath }) => {
    const { encryptAttachment } = require('@signalapp/mock-server/src/crypto');
    const plaintext = fs.readFileSync(plaintextPath);
    const enc = encryptAttachment(plaintext);
    const path = new URL(uploadLocation).pathname;
    const response = await request(origin, caCertPath, 'POST', path, {
      ...headers,
      'tus-resumable': '1.0.0',
      'upload-length': String(enc.blob.length),
      'content-type': 'application/offset+octet-stream',
    }, enc.blob);
    if (response.status !== 201) throw new Error(`TUS POST ${path}: HTTP ${response.status}`);
    return { key: b64(enc.key), digest: b64(enc.digest), size: enc.size, blobLength: enc.blob.length, sha256: sha256hex(plaintext) };
  },

  // Writes the blob the mock's encryptAttachment makes, for cipher-only checks without a server.
  'attachments.encryptReference': async ({ plaintext }) => {
    const { encryptAttachment } = require('@signalapp/mock-server/src/crypto');
    const enc = encryptAttachment(Buffer.from(plaintext, 'base64'));
    return { key: b64(enc.key), digest: b64(enc.digest), size: enc.size, blob: b64(enc.blob) };
  },

  'attachments.decrypt': async ({ blob, key, digest, size }) => {
    const { plaintext, paddedLength } = decrypt(Buffer.from(blob, 'base64'), Buffer.from(key, 'base64'), Buffer.from(digest, 'base64'), size);
    return describe(plaintext, paddedLength);
  },
};
