// Oracle ops for SignalSharp.ZkGroup: libsignal's deterministic zkgroup client APIs (group params, ciphertexts,
// blobs) so the C# port can be checked byte for byte.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const S = require('@signalapp/libsignal-client');
const Z = require('@signalapp/libsignal-client/zkgroup');

const b = s => new Uint8Array(Buffer.from(s, 'base64'));
const e = u => Buffer.from(u).toString('base64');

const cipher = args => new Z.ClientZkGroupCipher(new Z.GroupSecretParams(b(args.secretParams)));

const handlers = {
  'zkgroup.deriveFromMasterKey': async args => {
    const secret = Z.GroupSecretParams.deriveFromMasterKey(new Z.GroupMasterKey(b(args.masterKey)));
    const pub = secret.getPublicParams();
    return { secretParams: e(secret.serialize()), publicParams: e(pub.serialize()), groupId: e(pub.getGroupIdentifier().serialize()) };
  },
  'zkgroup.generateWithRandom': async args => {
    const secret = Z.GroupSecretParams.generateWithRandom(b(args.random));
    return { secretParams: e(secret.serialize()), masterKey: e(secret.getMasterKey().serialize()) };
  },
  'zkgroup.encryptServiceId': async args =>
    e(cipher(args).encryptServiceId(S.ServiceId.parseFromServiceIdBinary(b(args.serviceId))).serialize()),
  'zkgroup.decryptServiceId': async args =>
    e(cipher(args).decryptServiceId(new Z.UuidCiphertext(b(args.ciphertext))).getServiceIdBinary()),
  'zkgroup.encryptProfileKey': async args =>
    e(cipher(args).encryptProfileKey(new Z.ProfileKey(b(args.profileKey)), S.Aci.fromUuidBytes(b(args.aci))).serialize()),
  'zkgroup.decryptProfileKey': async args =>
    e(cipher(args).decryptProfileKey(new Z.ProfileKeyCiphertext(b(args.ciphertext)), S.Aci.fromUuidBytes(b(args.aci))).serialize()),
  'zkgroup.encryptBlobWithRandom': async args =>
    e(cipher(args).encryptBlobWithRandom(b(args.random), b(args.plaintext))),
  'zkgroup.decryptBlob': async args => e(cipher(args).decryptBlob(b(args.ciphertext))),
};
export default handlers;

// Server-side operations (issuing, verifying) so the C# client can be checked end to end.
const sid = s => S.ServiceId.parseFromServiceIdBinary(b(s));
const serverSecret = args => new Z.ServerSecretParams(b(args.serverSecret));
const date = seconds => new Date(seconds * 1000);

Object.assign(handlers, {
  'zkgroup.serverParams': async args => {
    const secret = Z.ServerSecretParams.generateWithRandom(b(args.random));
    return { serverSecret: e(secret.serialize()), serverPublic: e(secret.getPublicParams().serialize()) };
  },
  'zkgroup.issueEndorsements': async args => {
    const group = new Z.GroupSecretParams(b(args.secretParams));
    const cipher = new Z.ClientZkGroupCipher(group);
    const keyPair = Z.GroupSendDerivedKeyPair.forExpiration(date(args.expiration), serverSecret(args));
    const cts = args.members.map(m => cipher.encryptServiceId(sid(m)));
    return e(Z.GroupSendEndorsementsResponse.issueWithRandom(cts, keyPair, b(args.random)).serialize());
  },
  'zkgroup.receiveEndorsements': async args => {
    const response = new Z.GroupSendEndorsementsResponse(b(args.response));
    const received = response.receiveWithServiceIds(args.members.map(sid), sid(args.localAci),
      new Z.GroupSecretParams(b(args.secretParams)), new Z.ServerPublicParams(b(args.serverPublic)), date(args.now));
    return { endorsements: received.endorsements.map(x => e(x.serialize())), combined: e(received.combinedEndorsement.serialize()) };
  },
  'zkgroup.endorsementToFullToken': async args =>
    e(new Z.GroupSendEndorsement(b(args.endorsement)).toFullToken(new Z.GroupSecretParams(b(args.secretParams)), date(args.expiration)).serialize()),
  'zkgroup.verifyFullToken': async args => {
    const keyPair = Z.GroupSendDerivedKeyPair.forExpiration(date(args.expiration), serverSecret(args));
    new Z.GroupSendFullToken(b(args.token)).verify(args.members.map(sid), keyPair, date(args.now));
    return true;
  },
});

Object.assign(handlers, {
  'zkgroup.issueAuthCredential': async args =>
    e(new Z.ServerZkAuthOperations(serverSecret(args))
      .issueAuthCredentialWithPniZkcWithRandom(b(args.random), sid(args.aci), sid(args.pni), args.redemptionTime).serialize()),
  'zkgroup.receiveAuthCredential': async args =>
    e(new Z.ClientZkAuthOperations(new Z.ServerPublicParams(b(args.serverPublic)))
      .receiveAuthCredentialWithPniAsServiceId(sid(args.aci), sid(args.pni), args.redemptionTime,
        new Z.AuthCredentialWithPniResponse(b(args.response))).serialize()),
  'zkgroup.presentAuthCredential': async args =>
    e(new Z.ClientZkAuthOperations(new Z.ServerPublicParams(b(args.serverPublic)))
      .createAuthCredentialWithPniPresentationWithRandom(b(args.random), new Z.GroupSecretParams(b(args.secretParams)),
        new Z.AuthCredentialWithPni(b(args.credential))).serialize()),
  'zkgroup.verifyAuthPresentation': async args => {
    new Z.ServerZkAuthOperations(serverSecret(args)).verifyAuthCredentialPresentation(
      new Z.GroupPublicParams(b(args.publicParams)), new Z.AuthCredentialPresentation(b(args.presentation)), date(args.now));
    return true;
  },
});

const profileKey = args => new Z.ProfileKey(b(args.profileKey));
Object.assign(handlers, {
  'zkgroup.profileKeyInfo': async args => {
    const pk = profileKey(args), aci = sid(args.aci);
    return { commitment: e(pk.getCommitment(aci).serialize()), version: pk.getProfileKeyVersion(aci).toString(), accessKey: e(pk.deriveAccessKey()) };
  },
  'zkgroup.profileKeyRequestContext': async args => {
    const ctx = new Z.ClientZkProfileOperations(new Z.ServerPublicParams(b(args.serverPublic)))
      .createProfileKeyCredentialRequestContextWithRandom(b(args.random), sid(args.aci), profileKey(args));
    return { context: e(ctx.serialize()), request: e(ctx.getRequest().serialize()) };
  },
  'zkgroup.issueExpiringProfileKeyCredential': async args => {
    const aci = sid(args.aci);
    return e(new Z.ServerZkProfileOperations(serverSecret(args)).issueExpiringProfileKeyCredentialWithRandom(
      b(args.random), new Z.ProfileKeyCredentialRequest(b(args.request)), aci, profileKey(args).getCommitment(aci), args.expiration).serialize());
  },
  'zkgroup.receiveExpiringProfileKeyCredential': async args =>
    e(new Z.ClientZkProfileOperations(new Z.ServerPublicParams(b(args.serverPublic))).receiveExpiringProfileKeyCredential(
      new Z.ProfileKeyCredentialRequestContext(b(args.context)), new Z.ExpiringProfileKeyCredentialResponse(b(args.response)), date(args.now)).serialize()),
  'zkgroup.presentProfileKeyCredential': async args =>
    e(new Z.ClientZkProfileOperations(new Z.ServerPublicParams(b(args.serverPublic))).createExpiringProfileKeyCredentialPresentationWithRandom(
      b(args.random), new Z.GroupSecretParams(b(args.secretParams)), new Z.ExpiringProfileKeyCredential(b(args.credential))).serialize()),
  'zkgroup.verifyProfileKeyPresentation': async args => {
    new Z.ServerZkProfileOperations(serverSecret(args)).verifyProfileKeyCredentialPresentation(
      new Z.GroupPublicParams(b(args.publicParams)), new Z.ProfileKeyCredentialPresentation(b(args.presentation)), date(args.now));
    return true;
  },
});

// --- benchmarks: the same operations as bench/SignalSharp.Bench/ZkGroup, n times inside node per oracle call ---
let bench = null;
const benchFixtures = () => {
  if (bench) return bench;
  const rand = () => new Uint8Array(require('node:crypto').randomBytes(32));
  const server = Z.ServerSecretParams.generateWithRandom(rand());
  const serverPublic = server.getPublicParams();
  const group = Z.GroupSecretParams.generateWithRandom(rand());
  const cipher = new Z.ClientZkGroupCipher(group);
  const members = Array.from({ length: 100 }, () => S.Aci.fromUuidBytes(rand().subarray(0, 16)));
  const cts = members.map(m => cipher.encryptServiceId(m));
  const pk = new Z.ProfileKey(rand());
  const pkCt = cipher.encryptProfileKey(pk, members[0]);
  const day = 86400;
  const now = Math.floor(Date.now() / 1000);
  const exp = (Math.floor(now / day) + 2) * day;
  const response = Z.GroupSendEndorsementsResponse.issue(cts, Z.GroupSendDerivedKeyPair.forExpiration(new Date(exp * 1000), server));
  const redemption = Math.floor(now / day) * day;
  const pni = S.Pni.fromUuidBytes(rand().subarray(0, 16));
  const authResponse = new Z.ServerZkAuthOperations(server).issueAuthCredentialWithPniZkc(members[0], pni, redemption);
  const clientAuth = new Z.ClientZkAuthOperations(serverPublic);
  const credential = clientAuth.receiveAuthCredentialWithPniAsServiceId(members[0], pni, redemption, authResponse);
  const received = response.receiveWithServiceIds(members, members[0], group, serverPublic);
  bench = {
    encryptServiceId: () => cipher.encryptServiceId(members[1]),
    decryptServiceId: () => cipher.decryptServiceId(cts[1]),
    decryptProfileKey: () => cipher.decryptProfileKey(pkCt, members[0]),
    authPresentation: () => clientAuth.createAuthCredentialWithPniPresentation(group, credential),
    receiveEndorsements100: () => response.receiveWithServiceIds(members, members[0], group, serverPublic),
    fullToken: () => received.combinedEndorsement.toFullToken(group, new Date(exp * 1000)),
  };
  return bench;
};
handlers['zkgroup.loop'] = async args => {
  const fn = benchFixtures()[args.op];
  if (!fn) throw new Error(`unknown zkgroup bench op ${args.op}`);
  for (let i = 0; i < args.n; i++) fn();
  return true;
};

Object.assign(handlers, {
  'zkgroup.issueAuthCredentialWithoutPni': async args =>
    e(new Z.ServerZkAuthOperations(serverSecret(args))
      .issueAuthCredentialZkcWithoutPniWithRandom(b(args.random), sid(args.aci), b(args.salt), args.redemptionTime).serialize()),
  'zkgroup.receiveAuthCredentialWithoutPni': async args =>
    e(new Z.ClientZkAuthOperations(new Z.ServerPublicParams(b(args.serverPublic)))
      .receiveAuthCredentialWithoutPni(sid(args.aci), b(args.salt), args.redemptionTime,
        new Z.AuthCredentialWithPniResponse(b(args.response))).serialize()),
});
