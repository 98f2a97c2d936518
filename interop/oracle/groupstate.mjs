// A groups-v2 group state as a group server would hold it, encrypted by libsignal's zkgroup (member ids, profile
// keys, attribute blobs), for SignalSharp's group-state decryption tests.
//   groupstate.encrypt {masterKey, version, title, description?, timerSeconds?, announcementsOnly?,
//     members: [{aci, role, profileKey, joinedAtVersion}], pending: [{serviceId, role, addedBy}],
//     requesting: [{aci, profileKey}], banned: [serviceId]} → GroupResponse (base64)
// Service ids are strings: an ACI uuid, or "PNI:<uuid>".
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Proto } = require('@signalapp/mock-server');
const { ServiceId, Aci } = require('@signalapp/libsignal-client');
const ZK = require('@signalapp/libsignal-client/zkgroup');

const buf = b64 => Buffer.from(b64, 'base64');

export default {
  'groupstate.encrypt': async args => {
    const secret = ZK.GroupSecretParams.deriveFromMasterKey(new ZK.GroupMasterKey(buf(args.masterKey)));
    const cipher = new ZK.ClientZkGroupCipher(secret);
    const id = serviceId => Buffer.from(cipher.encryptServiceId(ServiceId.parseFromServiceIdString(serviceId)).serialize());
    const profileKey = (key, aci) => Buffer.from(cipher.encryptProfileKey(new ZK.ProfileKey(buf(key)), Aci.parseFromServiceIdString(aci)).serialize());
    const blob = content => Buffer.from(cipher.encryptBlob(Proto.GroupAttributeBlob.encode({ content })));
    const group = {
      publicKey: Buffer.from(secret.getPublicParams().serialize()),
      version: args.version,
      title: blob({ title: args.title }),
      description: args.description ? blob({ descriptionText: args.description }) : null,
      disappearingMessagesTimer: args.timerSeconds ? blob({ disappearingMessagesDuration: args.timerSeconds }) : null,
      announcementsOnly: Boolean(args.announcementsOnly),
      members: (args.members ?? []).map(m => ({
        userId: id(m.aci), role: m.role, profileKey: profileKey(m.profileKey, m.aci), joinedAtVersion: m.joinedAtVersion ?? 0,
      })),
      membersPendingProfileKey: (args.pending ?? []).map(p => ({
        member: { userId: id(p.serviceId), role: p.role },
        addedByUserId: id(p.addedBy),
        timestamp: 1n,
      })),
      membersPendingAdminApproval: (args.requesting ?? []).map(r => ({
        userId: id(r.aci), profileKey: profileKey(r.profileKey, r.aci), timestamp: 2n,
      })),
      membersBanned: (args.banned ?? []).map(b => ({ userId: id(b), timestamp: 3n })),
    };
    return Buffer.from(Proto.GroupResponse.encode({ group, groupSendEndorsementsResponse: null })).toString('base64');
  },
};
