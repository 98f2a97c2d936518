// Oracle ops for Signal's service ids (ACI, PNI) in libsignal's own forms.
//   serviceId.fromString {text} → {kind, text, binary, fixedWidth} (binary forms base64); throws when libsignal refuses it
//   serviceId.fromBinary {bytes, fixedWidth} → the service id string; throws when libsignal refuses the bytes
import { createRequire } from 'node:module';
import { fromB64, toB64 } from './lib/bytes.mjs';
const require = createRequire(import.meta.url);
const S = require('@signalapp/libsignal-client');

const describe = id => ({
  kind: id instanceof S.Pni ? 'pni' : 'aci',
  text: id.getServiceIdString(),
  binary: toB64(id.getServiceIdBinary()),
  fixedWidth: toB64(id.getServiceIdFixedWidthBinary()),
});

export default {
  'serviceId.fromString': async ({ text }) => describe(S.ServiceId.parseFromServiceIdString(text)),
  'serviceId.fromBinary': async ({ bytes, fixedWidth }) => (fixedWidth
    ? S.ServiceId.parseFromServiceIdFixedWidthBinary(fromB64(bytes))
    : S.ServiceId.parseFromServiceIdBinary(fromB64(bytes))).getServiceIdString(),
};
