// Reaction commands for harness.mjs (merged into its command table): a mock contact reacts to a message the way
// Signal clients do (DataMessage.reaction with the author's ACI as text and as 16 bytes), and the next data message
// a mock primary decrypted is reported with its reaction; the phone's Sent transcripts can be awaited by timestamp.
//   sendReaction {from, to, emoji, targetAuthorAci, targetTimestamp, remove?, timestamp?} → {timestamp}
//   waitForDataMessage {at, timeoutMs?} → {source, body, timestamp, reaction: {emoji, remove, targetAuthorAci,
//     targetAuthorAciBinary (uuid text), targetSentTimestamp} | null, attachmentCount, profileKey (base64, or null)}
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { EMPTY_DATA_MESSAGE } = require('@signalapp/mock-server');

export const uuidText = bytes => {
  if (!bytes || bytes.length !== 16) return null;
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};
const uuidBytes = text => Buffer.from(String(text).replace(/-/g, ''), 'hex');

export const describeReaction = r => r ? {
  emoji: r.emoji ?? null,
  remove: Boolean(r.remove),
  targetAuthorAci: r.targetAuthorAci ?? null,
  targetAuthorAciBinary: uuidText(r.targetAuthorAciBinary),
  targetSentTimestamp: r.targetSentTimestamp == null ? null : String(r.targetSentTimestamp),
} : null;

// SyncMessage's content is a oneof in the mock's protobufjs types.
const sentOf = entry => entry.syncMessage?.content?.sent ?? entry.syncMessage?.sent ?? null;

export default function reactionCommands({ primary, target, withTimeout, timeoutMs }) {
  return {
    // Resolves once the target acknowledged the message (the linked client is connected and acks).
    sendReaction: async ({ from = 'alice', to = 'linked', emoji, targetAuthorAci, targetTimestamp, remove = false,
      timestamp = Date.now(), timeoutMs: ms = timeoutMs }) => {
      if (typeof emoji !== 'string' || !targetAuthorAci || targetTimestamp == null) {
        throw new Error('sendReaction needs emoji, targetAuthorAci and targetTimestamp');
      }
      const reaction = {
        emoji, remove: Boolean(remove), targetAuthorAci: String(targetAuthorAci),
        targetAuthorAciBinary: uuidBytes(targetAuthorAci), targetSentTimestamp: BigInt(targetTimestamp),
      };
      const content = {
        content: { dataMessage: { ...EMPTY_DATA_MESSAGE, reaction, timestamp: BigInt(timestamp) } },
        pniSignatureMessage: null,
        senderKeyDistributionMessage: null,
      };
      await withTimeout(primary(from).sendRaw(target(to), content, { timestamp }), ms, `delivery to ${to}`);
      return { timestamp };
    },

    waitForDataMessage: async ({ at = 'alice', timeoutMs: ms = timeoutMs }) => {
      const entry = await withTimeout(primary(at).waitForMessage(), ms, `a message at ${at}`);
      return {
        source: { aci: entry.source.aci, deviceId: entry.source.deviceId },
        body: entry.body ?? null,
        timestamp: entry.dataMessage?.timestamp == null ? null : String(entry.dataMessage.timestamp),
        reaction: describeReaction(entry.dataMessage?.reaction),
        attachmentCount: entry.dataMessage?.attachments?.length ?? 0,
        profileKey: entry.dataMessage?.profileKey?.length ? Buffer.from(entry.dataMessage.profileKey).toString('base64') : null,
      };
    },
  };
}
