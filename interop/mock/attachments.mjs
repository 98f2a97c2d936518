// Attachment commands for harness.mjs (merged into its command table): the mock's contacts send attachments the
// way Signal clients do (encryptAttachment from the mock package, blob stored on the mock's CDN 3, an
// AttachmentPointer in a DataMessage), and receive them (download over HTTPS from the CDN the pointer names,
// verify digest and MAC, decrypt, trim to size).
//   storeAttachment {dataBase64 | plaintextPath, corrupt?, cdnNumber? (2 needs --front)} → {cdnNumber, cdnKey, key, digest, size, blobLength}
//   sendAttachment {from, to, attachments: [{dataBase64 | plaintextPath, contentType?, fileName?, corrupt?, missing?}], text?, timestamp?}
//     → {timestamp, attachments: [pointer as above]}
//   waitForAttachmentMessage {at, timeoutMs?, outDir?} → {source, body, timestamp, reaction (or null), attachments: [{cdnNumber, cdnKey,
//     contentType, fileName, size, length, sha256, base64 (≤ 4 KiB), path (with outDir), error (if it did not verify)}],
//     quote {id, authorAci, text} (or null), mentions [{start, length, aci}], deleteTimestamp (or null)}
// Keys, digests and small contents are base64; big payloads go by file path.
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http2 from 'node:http2';
import path from 'node:path';
import { cdnOrigins, cdnStores } from './cdn-origins.mjs';

const require = createRequire(import.meta.url);
const { EMPTY_DATA_MESSAGE } = require('@signalapp/mock-server');
const { encryptAttachment } = require('@signalapp/mock-server/src/crypto');

// A service id as text, whether the proto carries it as a string or as 16 binary bytes.
const aciOf = (text, binary) => {
  if (text) return text;
  if (!binary || binary.length !== 16) return null;
  const hex = Buffer.from(binary).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

// The everyday fields Alice answers in `local`: the quote, the mentions and a remote delete's target.
const everydayOf = dataMessage => ({
  quote: dataMessage?.quote
    ? { id: String(dataMessage.quote.id), authorAci: aciOf(dataMessage.quote.authorAci, dataMessage.quote.authorAciBinary), text: dataMessage.quote.text ?? null }
    : null,
  mentions: (dataMessage?.bodyRanges ?? [])
    .map(r => ({ start: r.start ?? 0, length: r.length ?? 0, aci: aciOf(r.associatedValue?.mentionAci, r.associatedValue?.mentionAciBinary) }))
    .filter(m => m.aci),
  deleteTimestamp: dataMessage?.delete?.targetSentTimestamp != null ? String(dataMessage.delete.targetSentTimestamp) : null,
});

const b64 = bytes => Buffer.from(bytes).toString('base64');
const plaintextOf = spec => spec.plaintextPath ? fs.readFileSync(spec.plaintextPath) : Buffer.from(spec.dataBase64 ?? '', 'base64');

function get(origin, caCertPath, urlPath) {
  const session = http2.connect(origin, { ca: fs.readFileSync(caCertPath) });
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'GET', ':path': urlPath });
    const chunks = [];
    let status = 0;
    stream.on('response', h => { status = h[':status']; });
    stream.on('data', c => chunks.push(c));
    stream.on('end', () => resolve({ status, body: Buffer.concat(chunks) }));
    stream.on('error', reject);
    stream.end();
  }).finally(() => session.close());
}

// Verifies and decrypts a blob in the Signal attachment format; throws on any mismatch.
function openBlob(blob, key, digest, size) {
  if (blob.length < 64) throw new Error(`blob of ${blob.length} bytes is too short`);
  if (!crypto.createHash('sha256').update(blob).digest().equals(digest)) throw new Error('digest mismatch');
  const iv = blob.subarray(0, 16);
  const body = blob.subarray(16, blob.length - 32);
  const mac = crypto.createHmac('sha256', key.subarray(32)).update(iv).update(body).digest();
  if (!crypto.timingSafeEqual(mac, blob.subarray(blob.length - 32))) throw new Error('MAC mismatch');
  const decipher = crypto.createDecipheriv('aes-256-cbc', key.subarray(0, 32), iv);
  const padded = Buffer.concat([decipher.update(body), decipher.final()]);
  if (padded.length < size) throw new Error(`plaintext of ${padded.length} bytes is shorter than size ${size}`);
  return padded.subarray(0, size);
}

// The plaintext an AttachmentPointer names, downloaded from the CDN it names and verified (for blobs that are not a
// message's attachments, such as a contact sync's).
export async function openPointer(pointer, origin, caCertPath) {
  const cdnKey = pointer.attachmentIdentifier?.cdnKey ?? pointer.cdnKey;
  const cdnNumber = pointer.cdnNumber ?? 0;
  const prefix = cdnNumber === 3 ? '/cdn3' : cdnNumber === 2 ? '/cdn2' : '';
  const response = await get(cdnOrigins.get(cdnNumber) ?? origin, caCertPath, `${prefix}/attachments/${encodeURIComponent(cdnKey)}`);
  if (response.status !== 200) throw new Error(`CDN ${cdnNumber} ${cdnKey}: HTTP ${response.status}`);
  return openBlob(response.body, Buffer.from(pointer.key), Buffer.from(pointer.digest), pointer.size ?? 0);
}

// The message's reaction, if any, so that one wait can serve a client that answers both kinds.
const reactionOf = data => data?.reaction ? {
  emoji: data.reaction.emoji ?? null,
  remove: Boolean(data.reaction.remove),
  targetAuthorAci: data.reaction.targetAuthorAci ?? null,
  targetSentTimestamp: data.reaction.targetSentTimestamp == null ? null : String(data.reaction.targetSentTimestamp),
} : null;

export default function attachmentCommands({ server, primary, target, origin, caCertPath, withTimeout, timeoutMs }) {
  async function store(spec) {
    const enc = encryptAttachment(plaintextOf(spec));
    const blob = Buffer.from(enc.blob);
    if (spec.corrupt) blob[Math.floor(blob.length / 2)] ^= 0x01;
    const cdnKey = `att-${Date.now()}-${crypto.randomBytes(6).toString('hex')}`;
    // `missing`: the pointer names a blob the CDN never got (a download that fails for good).
    // `cdnNumber` 2: on the front's CDN 2 (runs with --front only); otherwise the mock's CDN 3.
    const cdnNumber = spec.cdnNumber ?? 3;
    if (cdnNumber !== 3 && !cdnStores.has(cdnNumber)) throw new Error(`no CDN ${cdnNumber} to store on (start the harness with --front)`);
    if (!spec.missing) await (cdnNumber === 3 ? server.storeAttachmentOnCdn(3, cdnKey, blob) : cdnStores.get(cdnNumber)(cdnKey, blob));
    return { cdnNumber, cdnKey, key: b64(enc.key), digest: b64(enc.digest), size: enc.size, blobLength: blob.length };
  }

  async function fetchAndOpen(pointer, outDir, index) {
    const cdnKey = pointer.attachmentIdentifier?.cdnKey ?? pointer.cdnKey;
    const cdnNumber = pointer.cdnNumber ?? 0;
    const described = {
      cdnNumber, cdnKey, contentType: pointer.contentType ?? null, fileName: pointer.fileName ?? null, size: pointer.size ?? 0,
    };
    try {
      const prefix = cdnNumber === 3 ? '/cdn3' : cdnNumber === 2 ? '/cdn2' : '';
      const response = await get(cdnOrigins.get(cdnNumber) ?? origin, caCertPath, `${prefix}/attachments/${encodeURIComponent(cdnKey)}`);
      if (response.status !== 200) throw new Error(`CDN ${cdnNumber} ${cdnKey}: HTTP ${response.status}`);
      const plaintext = openBlob(response.body, Buffer.from(pointer.key), Buffer.from(pointer.digest), described.size);
      let filePath = null;
      if (outDir) {
        filePath = path.join(outDir, `${index}-${path.basename(described.fileName ?? 'attachment')}`);
        fs.writeFileSync(filePath, plaintext);
      }
      return {
        ...described,
        length: plaintext.length,
        sha256: crypto.createHash('sha256').update(plaintext).digest('hex'),
        base64: plaintext.length <= 4096 ? b64(plaintext) : null,
        path: filePath,
      };
    } catch (error) {
      return { ...described, error: String(error?.message ?? error) };
    }
  }

  return {
    storeAttachment: async spec => store(spec),

    // Resolves once the target acknowledged the message. Only a connected client acknowledges: the mock's own
    // primaries never fetch their queue, so contact-to-contact sends would wait forever (hence the timeout).
    sendAttachment: async ({ from = 'alice', to = 'linked', attachments, text = null, timestamp = Date.now(), timeoutMs: ms = timeoutMs }) => {
      if (!Array.isArray(attachments)) throw new Error('sendAttachment needs attachments: [{dataBase64 | plaintextPath, ...}]');
      const stored = [];
      const pointers = [];
      for (const spec of attachments) {
        const s = await store(spec);
        stored.push(s);
        pointers.push({
          attachmentIdentifier: { cdnKey: s.cdnKey },
          cdnNumber: s.cdnNumber,
          contentType: spec.contentType ?? 'application/octet-stream',
          key: Buffer.from(s.key, 'base64'),
          size: s.size,
          digest: Buffer.from(s.digest, 'base64'),
          fileName: spec.fileName ?? null,
          clientUuid: null, thumbnail: null, incrementalMac: null, chunkSize: null, flags: null,
          width: null, height: null, caption: null, blurHash: null,
          uploadTimestamp: BigInt(timestamp),
        });
      }
      const sender = primary(from);
      const destination = target(to);
      const content = {
        content: { dataMessage: { ...EMPTY_DATA_MESSAGE, body: text, attachments: pointers, timestamp: BigInt(timestamp) } },
        pniSignatureMessage: null,
        senderKeyDistributionMessage: null,
      };
      try {
        await withTimeout(sender.sendRaw(destination, content, { timestamp }), ms, `delivery to ${to}`);
      } catch (error) {
        // Two mock contacts have no session until one takes a pre-key of the other (a linked device already has one).
        if (!/session with .* not found/.test(String(error?.message))) throw error;
        await sender.addSingleUseKey(destination, await destination.popSingleUseKey());
        await withTimeout(sender.sendRaw(destination, content, { timestamp }), ms, `delivery to ${to}`);
      }
      return { timestamp, attachments: stored };
    },

    waitForAttachmentMessage: async ({ at = 'alice', timeoutMs: ms = timeoutMs, outDir = null }) => {
      const entry = await withTimeout(primary(at).waitForMessage(), ms, `a message at ${at}`);
      const pointers = entry.dataMessage?.attachments ?? [];
      const attachments = [];
      for (let i = 0; i < pointers.length; i++) attachments.push(await fetchAndOpen(pointers[i], outDir, i));
      return {
        source: { aci: entry.source.aci, deviceId: entry.source.deviceId },
        body: entry.body,
        timestamp: entry.dataMessage?.timestamp ?? null,
        attachments,
        reaction: reactionOf(entry.dataMessage),
        ...everydayOf(entry.dataMessage),
      };
    },
  };
}
