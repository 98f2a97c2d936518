// Resend-request commands for SignalSharp's mock harness (merged into its command table).
//   failNextDecryption {at='alice', from='linked'} → true: the next message `from` sends to the primary `at` is not
//     delivered to it; instead `at` answers as a Signal client that could not decrypt it would: a
//     DecryptionErrorMessage (built by libsignal from the undelivered ciphertext) in a PlaintextContent envelope
//     (type 8) from `at`'s device to `from`. The session state of `at` is left as it was.
//     With `namedTimestamp`, the request names that timestamp instead: a message the sender no longer has.
//     With `holdAnswer`, the sender's send is answered only after the resend request reached it (and half a second).
//   waitForFailedDecryption {at='alice', timeoutMs?} → {timestamp, ciphertextType, sealed}: the message that was
//     held back, once the resend request for it went out.
//   waitForNullMessage {at='alice', timeoutMs?} → {envelopeType}: the next NullMessage `at` decrypted (a sender
//     rebuilding a session it archived).
import { createRequire } from 'node:module';
import { Queue } from './groupmsg.mjs';

const require = createRequire(import.meta.url);
const { ServiceIdKind } = require('@signalapp/mock-server');
const SignalClient = require('@signalapp/libsignal-client');
const { signalservice } = require('@signalapp/mock-server/protos/compiled');

export default function resendCommands({ server, primary, target, withTimeout, timeoutMs }) {
  const armed = new Map(); // primary device → {from, namedTimestamp}: the device whose next message fails there
  const failures = new Map(); // primary device → Queue of failures
  const nullMessages = new Map(); // primary device → Queue of null messages it decrypted

  const queueIn = (map, device) => {
    if (!map.has(device)) map.set(device, new Queue());
    return map.get(device);
  };

  const watchNullMessages = recipient => {
    if (nullMessages.has(recipient)) return;
    const queue = queueIn(nullMessages, recipient);
    const decrypt = recipient.decrypt.bind(recipient);
    recipient.decrypt = async (...args) => {
      const result = await decrypt(...args);
      // A sealed envelope decrypts its inner message through this same method: count that inner call only.
      if (args[2] !== 'SealedSender' && result?.content?.content?.nullMessage) queue.push({ envelopeType: result.envelopeType });
      return result;
    };
  };

  // The ciphertext inside the envelope and its libsignal type; a sealed one is unsealed with the recipient's key
  // (a client can always do that much: the seal is to its identity key, not to the session).
  const innerCiphertext = async (recipient, envelopeType, encrypted) => {
    if (envelopeType === 'SealedSender') {
      const usmc = await SignalClient.sealedSenderDecryptToUsmc(encrypted, recipient.identity.get(ServiceIdKind.ACI));
      return { bytes: usmc.contents(), type: usmc.msgType(), sealed: true,
        sender: `${usmc.senderCertificate().senderUuid()}.${usmc.senderCertificate().senderDeviceId()}` };
    }
    const type = envelopeType === 'PreKey' ? SignalClient.CiphertextMessageType.PreKey : SignalClient.CiphertextMessageType.Whisper;
    return { bytes: encrypted, type, sealed: false, sender: null };
  };

  const handleMessage = server.handleMessage.bind(server);
  server.handleMessage = async (source, serviceIdKind, envelopeType, messageTarget, encrypted, timestamp) => {
    const recipient = [...armed.keys()].find(p => p.device === messageTarget);
    if (!recipient) return handleMessage(source, serviceIdKind, envelopeType, messageTarget, encrypted, timestamp);
    const { from, namedTimestamp, holdAnswer } = armed.get(recipient);
    const inner = await innerCiphertext(recipient, envelopeType, encrypted);
    const fromThatDevice = source ? source === from : inner.sender === `${from.aci}.${from.deviceId}`;
    if (!fromThatDevice || inner.type === SignalClient.CiphertextMessageType.SenderKey) {
      return handleMessage(source, serviceIdKind, envelopeType, messageTarget, encrypted, timestamp);
    }
    armed.delete(recipient);

    const request = SignalClient.DecryptionErrorMessage.forOriginal(Buffer.from(inner.bytes), inner.type,
      Number(namedTimestamp ?? timestamp), from.deviceId);
    const plaintext = SignalClient.PlaintextContent.from(request);
    const now = Date.now();
    const envelope = signalservice.Envelope.encode({
      type: signalservice.Envelope.Type.PLAINTEXT_CONTENT,
      sourceServiceIdBinary: recipient.device.aciBinary,
      sourceDeviceId: recipient.device.deviceId,
      destinationServiceIdBinary: from.aciBinary,
      serverTimestamp: BigInt(now),
      clientTimestamp: BigInt(now),
      content: plaintext.serialize(),
    });
    // Not awaited: the sender's PUT must not wait for its own device to take the answer (it could not, while sending).
    const failure = { timestamp: Number(timestamp), ciphertextType: inner.type, sealed: inner.sealed };
    const delivered = server.send(from, Buffer.from(envelope)).then(() => queueIn(failures, recipient).push(failure), () => {});
    if (holdAnswer) {
      // The sender's PUT is answered only after it took the resend request: the request surely comes first.
      await delivered;
      await new Promise(resolve => setTimeout(resolve, 500));
    }
  };

  return {
    failNextDecryption: async ({ at = 'alice', from = 'linked', namedTimestamp = null, holdAnswer = false }) => {
      const recipient = primary(at);
      watchNullMessages(recipient);
      armed.set(recipient, { from: target(from), namedTimestamp, holdAnswer });
      return true;
    },
    waitForFailedDecryption: async ({ at = 'alice', timeoutMs: ms = timeoutMs }) =>
      withTimeout(queueIn(failures, primary(at)).shift(), ms, `a failed decryption at ${at}`),
    waitForNullMessage: async ({ at = 'alice', timeoutMs: ms = timeoutMs }) =>
      withTimeout(queueIn(nullMessages, primary(at)).shift(), ms, `a null message at ${at}`),
  };
}
