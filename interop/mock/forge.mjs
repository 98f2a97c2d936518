// Server-forgery commands for SignalSharp's mock harness (merged into its command table): what a malicious server
// could deliver without holding anyone's keys.
//   forgePlaintext {from='alice', to='linked', text, timestamp?} → {timestamp}: a PlaintextContent envelope (type 8:
//     no encryption, no MAC, the sender is only what the envelope says) "from" the primary `from` (a contact, or
//     'phone': the account's own primary), holding a DataMessage with `text`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { EMPTY_DATA_MESSAGE } = require('@signalapp/mock-server');
const { signalservice } = require('@signalapp/mock-server/protos/compiled');

export default function forgeCommands({ server, primary, target }) {
  return {
    forgePlaintext: async ({ from = 'alice', to = 'linked', text, timestamp = Date.now() }) => {
      if (typeof text !== 'string') throw new Error('forgePlaintext needs text');
      const sender = primary(from);
      const recipient = target(to);
      const dataMessage = { ...EMPTY_DATA_MESSAGE, body: text, timestamp: BigInt(timestamp) };
      const content = { content: { dataMessage }, pniSignatureMessage: null, senderKeyDistributionMessage: null };
      const body = Buffer.from(signalservice.Content.encode(content));
      const envelope = signalservice.Envelope.encode({
        type: signalservice.Envelope.Type.PLAINTEXT_CONTENT,
        sourceServiceIdBinary: sender.device.aciBinary,
        sourceDeviceId: sender.device.deviceId,
        destinationServiceIdBinary: recipient.aciBinary,
        serverTimestamp: BigInt(timestamp),
        clientTimestamp: BigInt(timestamp),
        content: Buffer.concat([Buffer.from([0xc0]), body, Buffer.from([0x80])]),
      });
      await server.send(recipient, Buffer.from(envelope));
      return { timestamp };
    },
  };
}
