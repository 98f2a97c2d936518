// Sender-certificate commands for SignalSharp's mock harness (merged into its command table). The mock issues
// certificates that never expire and its devices never check them; these commands let a test age them.
//   senderCertificates {lifetimeMs?, clockOffsetMs = 0, checkAt = []} → true: from now on a certificate the server
//     issues to a client (GET /v1/certificate/delivery) expires `lifetimeMs` after the server's clock, which runs
//     `clockOffsetMs` ahead of the real one (lifetimeMs null: never, the mock's default). Each primary in `checkAt`
//     then validates the sender certificate of every sealed message it gets against the trust root at that clock,
//     as Signal's clients do, and drops the message when it does not hold.
//   sealedSenderChecks {at} → {accepted, rejected, issued}: sealed messages `at` took and dropped since checking
//     began, and certificates the server issued to clients since the first senderCertificates.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { ServiceIdKind } = require('@signalapp/mock-server');
const { generateSenderCertificate } = require('@signalapp/mock-server/src/crypto');
const SignalClient = require('@signalapp/libsignal-client');

export default function certificateCommands({ server, primary }) {
  const clock = { lifetimeMs: null, offsetMs: 0 };
  const checks = new Map(); // primary device → {accepted, rejected}
  let issued = 0;
  let issuing = false;

  const issueAged = () => {
    if (issuing) return;
    issuing = true;
    const original = server.getSenderCertificate.bind(server);
    // Primaries were given a bound copy when created, so only clients' requests (the WebSocket route) come here.
    server.getSenderCertificate = async (device, options = {}) => {
      issued += 1;
      if (clock.lifetimeMs === null) return original(device, options);
      return generateSenderCertificate(server.certificate, {
        number: (options.includeE164 ?? true) ? device.number : undefined,
        aci: device.aci,
        deviceId: device.deviceId,
        identityKey: await device.getIdentityKey(ServiceIdKind.ACI),
        expires: Date.now() + clock.offsetMs + clock.lifetimeMs,
      });
    };
  };

  const check = recipient => {
    if (checks.has(recipient)) return;
    const counts = { accepted: 0, rejected: 0 };
    checks.set(recipient, counts);
    const handle = recipient.handleEnvelope.bind(recipient);
    recipient.handleEnvelope = async (source, serviceIdKind, envelopeType, encrypted) => {
      if (envelopeType === 'SealedSender') {
        // Unsealing needs only the identity key and changes no session: the real decryption follows.
        const usmc = await SignalClient.sealedSenderDecryptToUsmc(encrypted, recipient.identity.get(ServiceIdKind.ACI));
        if (!usmc.senderCertificate().validate(server.trustRoot.getPublicKey(), Date.now() + clock.offsetMs)) {
          counts.rejected += 1;
          return;
        }

        counts.accepted += 1;
      }
      return handle(source, serviceIdKind, envelopeType, encrypted);
    };
  };

  return {
    senderCertificates: async ({ lifetimeMs = null, clockOffsetMs = 0, checkAt = [] }) => {
      issueAged();
      clock.lifetimeMs = lifetimeMs;
      clock.offsetMs = clockOffsetMs;
      for (const name of checkAt) check(primary(name));
      return true;
    },

    sealedSenderChecks: async ({ at }) => ({ ...(checks.get(primary(at)) ?? { accepted: 0, rejected: 0 }), issued }),
  };
}
