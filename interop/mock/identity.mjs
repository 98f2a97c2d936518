// Identity commands for SignalSharp's mock harness (merged into its command table).
//   reinstallWithNewIdentity {name, sessionWith='linked'} → {identityKey}: the primary `name` behaves as a Signal
//     app reinstalled from scratch: a new ACI identity key, no sessions, fresh pre-keys at the server (signed with the
//     new key) and a sender certificate naming the new key. It then fetches `sessionWith`'s pre-keys, as the app
//     would before its first message, so its next sendText starts a new session under the new identity.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { ServiceIdKind } = require('@signalapp/mock-server');
const { PrivateKey } = require('@signalapp/libsignal-client');

export default function identityCommands({ primary, target }) {
  return {
    reinstallWithNewIdentity: async ({ name, sessionWith = 'linked' }) => {
      const contact = primary(name);
      const key = PrivateKey.generate();
      contact.privateKey = key;
      contact.publicKey = key.getPublicKey();
      await contact.identity.get(ServiceIdKind.ACI).updateIdentityKey(key);
      contact.sessions.sessions.clear();
      await contact.device.setKeys(ServiceIdKind.ACI, await contact.generateKeys(contact.device, ServiceIdKind.ACI));
      contact.privSenderCertificate = await contact.config.getSenderCertificate();
      const peer = target(sessionWith);
      await contact.addSingleUseKey(peer, await peer.popSingleUseKey(ServiceIdKind.ACI), ServiceIdKind.ACI);
      return { identityKey: Buffer.from(key.getPublicKey().serialize()).toString('base64') };
    },
  };
}
