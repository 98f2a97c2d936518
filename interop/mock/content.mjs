// Content commands for harness.mjs (merged into its command table): a mock primary (a contact, or the account's
// phone) sends any Content, written in the field names of Signal's own protos; Signal's compiled protos encode it
// and the mock's libsignal encrypts it, so the bytes our client decrypts are Signal's, not ours.
//   sendContent {from, to = 'linked', content, timestamp?, sealed?} → {timestamp}
//     content: a signalservice.Content as JSON, oneofs wrapped as the mock's protos wrap them
//     ({"content":{"dataMessage":{...}}}, BodyRange {"associatedValue":{"style":1}}). Bytes travel as
//     {"$bytes":"<base64>"}, 64-bit integers as {"$u64":"<decimal>"}.
//   waitForReceipt {at, timeoutMs?} → {source, type, timestamps}: the next receipt a mock primary decrypted.
//   waitForDataContent / waitForEditContent {at, timeoutMs?} → {source, dataMessage | editMessage}: the next data
//     message (or edit) a mock primary decrypted, whole, as Signal's protos decoded it (bytes base64, integers as text).
//   watchTyping {at} → true: from now on the primary `at` keeps every typing message it decrypts (the mock's own
//     handler drops them as unsupported); waitForTypingContent {at, timeoutMs?} → {source, typingMessage} takes the
//     next one, as Signal's protos decoded it.
import { createRequire } from 'node:module';
import { Queue } from './groupmsg.mjs';

const require = createRequire(import.meta.url);
const { Proto } = require('@signalapp/mock-server');

const revive = value => {
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === 'object') {
    if (typeof value.$bytes === 'string') return Buffer.from(value.$bytes, 'base64');
    if (typeof value.$u64 === 'string') return BigInt(value.$u64);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  }
  return value;
};

// Every field given must survive Signal's encoder: a misspelt field would otherwise be dropped without a word.
const assertKnown = (given, decoded, path) => {
  if (given === null || typeof given !== 'object' || Buffer.isBuffer(given)) return;
  for (const [key, value] of Object.entries(given)) {
    if (value === null || value === undefined) continue;
    const back = decoded?.[key];
    if (back === undefined || back === null) throw new Error(`field ${path}.${key} is not in Signal's protos`);
    if (Array.isArray(value)) value.forEach((v, i) => assertKnown(v, back[i], `${path}.${key}[${i}]`));
    else assertKnown(value, back, `${path}.${key}`);
  }
};

export default function contentCommands({ primary, target, withTimeout, timeoutMs }) {
  const typing = new Map(); // primary device → Queue of typing messages it decrypted

  const watchTyping = device => {
    if (typing.has(device)) return typing.get(device);
    const queue = new Queue();
    typing.set(device, queue);
    const decrypt = device.decrypt.bind(device);
    device.decrypt = async (...args) => {
      const result = await decrypt(...args);
      // A sealed envelope decrypts its inner message through this same method: take that inner call only.
      const message = result?.content?.content?.typingMessage;
      if (args[2] !== 'SealedSender' && message) {
        queue.push({ source: { aci: result.unsealedSource?.aci, deviceId: result.unsealedSource?.deviceId }, typingMessage: message });
      }
      return result;
    };
    return queue;
  };

  return {
    watchTyping: ({ at = 'alice' }) => {
      watchTyping(primary(at));
      return true;
    },

    waitForTypingContent: async ({ at = 'alice', timeoutMs: ms = timeoutMs }) =>
      withTimeout(watchTyping(primary(at)).shift(), ms, `a typing message at ${at}`),

    sendContent: async ({ from = 'alice', to = 'linked', content, timestamp = Date.now(), sealed = false, timeoutMs: ms = timeoutMs }) => {
      if (!content || typeof content !== 'object') throw new Error('sendContent needs content');
      const params = revive(content);
      assertKnown(params, Proto.Content.decode(Proto.Content.encode(params)), 'content');
      await withTimeout(primary(from).sendRaw(target(to), params, { timestamp, sealed }), ms, `delivery to ${to}`);
      return { timestamp };
    },

    waitForDataContent: async ({ at = 'alice', timeoutMs: ms = timeoutMs }) => {
      const entry = await withTimeout(primary(at).waitForMessage(), ms, `a message at ${at}`);
      return { source: { aci: entry.source.aci, deviceId: entry.source.deviceId }, dataMessage: entry.dataMessage };
    },

    waitForEditContent: async ({ at = 'alice', timeoutMs: ms = timeoutMs }) => {
      const entry = await withTimeout(primary(at).waitForEditMessage(), ms, `an edit at ${at}`);
      return { source: { aci: entry.source.aci, deviceId: entry.source.deviceId }, editMessage: entry.editMessage };
    },

    waitForReceipt: async ({ at = 'alice', timeoutMs: ms = timeoutMs }) => {
      const entry = await withTimeout(primary(at).waitForReceipt(), ms, `a receipt at ${at}`);
      return {
        source: { aci: entry.source.aci, deviceId: entry.source.deviceId },
        type: entry.receiptMessage?.type ?? null,
        timestamps: (entry.receiptMessage?.timestamp ?? []).map(t => String(t)),
      };
    },
  };
}
