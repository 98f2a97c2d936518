// Pre-key commands for SignalSharp's mock harness: what the server holds for a device, so tests can see rotation
// and refills from the server's side.
//   deviceKeys {of?} → {aci:{signedPreKeyId, lastResortKeyId, preKeys, kyberPreKeys}, pni:{…}} of the linked device
//   (or a registered device name); counts are the one-time keys the server still holds.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { ServiceIdKind } = require('@signalapp/mock-server');

// mock-server 27 files a linking device under both its ACI and PNI keys and forgets only the one whose upload came
// last; every later upload with one-time keys for the other identity then fails its "seen once" check with 400
// "Duplicate service id kind …" (after storing the keys). Linking is over once both uploads arrived: forget both.
export function forgetProvisioning(server, device) {
  for (const kind of [ServiceIdKind.ACI, ServiceIdKind.PNI]) {
    const serviceId = device.getServiceIdByKind(kind);
    if (serviceId == null) continue;
    server.provisionResultQueueByKey.delete(`${serviceId}.${device.getCheckedRegistrationId(kind)}`);
  }
}

export default function keyCommands({ target }) {
  const describe = device => {
    const result = {};
    for (const [name, kind] of [['aci', ServiceIdKind.ACI], ['pni', ServiceIdKind.PNI]]) {
      const keys = device.keys.get(kind);
      result[name] = keys ? {
        signedPreKeyId: keys.signedPreKey.keyId,
        lastResortKeyId: keys.lastResortKey.keyId,
        preKeys: keys.preKeys.length,
        kyberPreKeys: keys.kyberPreKeys.length,
      } : null;
    }
    return result;
  };

  return {
    deviceKeys: async ({ of = 'linked' }) => describe(target(of)),
  };
}
