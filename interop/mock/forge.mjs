// Server-forgery commands for SignalSharp's mock harness (merged into its command table): what a malicious server
// could deliver without holding anyone's keys, beside the same content sent for real, so a test shows the
// difference is the envelope and nothing else.
//   forgePlaintext {from='alice', to='linked', text, timestamp?} → {timestamp}: a PlaintextContent envelope (type 8:
//     no encryption, no MAC, the sender is only what the envelope says) "from" the primary `from` (a contact, or
//     'phone': the account's own primary), holding a DataMessage with `text`.
//   deliverSenderKeyDistribution {from='alice', to='linked', plaintext=true} → {distributionId}: a
//     SenderKeyDistributionMessage for a fresh distribution id, in a plaintext envelope "from" `from` (what a server
//     can make up), or with plaintext=false sent by `from` itself through its session.
//   deliverContactSync {from='phone', to='linked', contacts: [{number, name, contact?, avatar?, avatarContentType?,
//     oversize?, raw?}], plaintext=true, complete=false} → {timestamp}: a SyncMessage.Contacts whose blob (a real
//     attachment on the mock's CDN, as the phone's own contact sync) lists the given contacts, in a plaintext envelope
//     "from" `from`, or sent by `from` through its session. A contact is a fresh ACI with `number`, or the mock's
//     contact named by `contact` (its number and ACI). `avatar` (base64) follows its ContactDetails as the blob's
//     avatar bytes, as Signal's apps write them (ContactDetails.avatar = {contentType, length}); `oversize` (a byte
//     count) gives it that many random avatar bytes instead; `raw` (base64) is written as the record itself (a record
//     a reader cannot parse), length-prefixed like the others.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { EMPTY_DATA_MESSAGE } = require('@signalapp/mock-server');
const { signalservice } = require('@signalapp/mock-server/protos/compiled');
const { encryptAttachment } = require('@signalapp/mock-server/src/crypto');
const { attachmentToPointer } = require('@signalapp/mock-server/src/data/attachment');
const { SenderKeyDistributionMessage } = require('@signalapp/libsignal-client');
const { SenderKeyStore } = require('@signalapp/mock-server/src/api/primary-device');

const uuidBytes = uuid => Buffer.from(uuid.replace(/-/g, ''), 'hex');

// A protobuf varint, as the contacts blob prefixes each record.
const varint = value => {
  const bytes = [];
  do {
    bytes.push((value & 0x7f) | (value > 0x7f ? 0x80 : 0));
    value = Math.floor(value / 128);
  } while (value > 0);
  return Buffer.from(bytes);
};

export default function forgeCommands({ server, primary, target }) {
  // A type-8 envelope "from" the primary's device: PlaintextContent is 0xC0, the Content, then 0x80 padding.
  const sendPlaintext = async (sender, recipient, content, timestamp) => {
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
  };

  const deliver = async ({ from, to, plaintext, timestamp }, content) => {
    const sender = primary(from);
    const recipient = target(to);
    const full = { content: null, pniSignatureMessage: null, senderKeyDistributionMessage: null, ...content };
    if (plaintext) await sendPlaintext(sender, recipient, full, timestamp);
    else await sender.sendRaw(recipient, full, { timestamp });
  };

  // One contact of a contacts blob: varint length, ContactDetails, then the avatar's bytes when it declares one.
  const contactRecord = ({ number, name, contact, avatar, avatarContentType = 'image/png', oversize, raw }) => {
    if (raw) return Buffer.concat([varint(Buffer.from(raw, 'base64').length), Buffer.from(raw, 'base64')]);
    const known = contact ? primary(contact).device : null;
    const image = oversize ? crypto.randomBytes(oversize) : avatar ? Buffer.from(avatar, 'base64') : null;
    const details = Buffer.from(signalservice.ContactDetails.encode({
      aciBinary: known ? known.aciBinary : uuidBytes(crypto.randomUUID()),
      number: known ? known.number : number ?? null,
      name: name ?? null,
      avatar: image ? { contentType: avatarContentType, length: image.length } : null,
      aci: null, expireTimer: null, expireTimerVersion: null, inboxPosition: null,
    }));
    return Buffer.concat([varint(details.length), details, ...(image ? [image] : [])]);
  };

  return {
    forgePlaintext: async ({ from = 'alice', to = 'linked', text, timestamp = Date.now() }) => {
      if (typeof text !== 'string') throw new Error('forgePlaintext needs text');
      const dataMessage = { ...EMPTY_DATA_MESSAGE, body: text, timestamp: BigInt(timestamp) };
      await deliver({ from, to, plaintext: true, timestamp }, { content: { dataMessage } });
      return { timestamp };
    },

    deliverSenderKeyDistribution: async ({ from = 'alice', to = 'linked', plaintext = true, timestamp = Date.now() }) => {
      const distributionId = crypto.randomUUID();
      // A store of its own: the forger has none of the sender's keys, and the real sender's stay untouched.
      const skdm = await SenderKeyDistributionMessage.create(primary(from).device.address, distributionId, new SenderKeyStore());
      await deliver({ from, to, plaintext, timestamp }, { senderKeyDistributionMessage: skdm.serialize() });
      return { distributionId };
    },

    deliverContactSync: async ({
      from = 'phone', to = 'linked', contacts = [], plaintext = true, complete = false, timestamp = Date.now(),
    }) => {
      const attachment = encryptAttachment(Buffer.concat(contacts.map(contactRecord)));
      const cdnKey = await server.storeAttachment(attachment.blob);
      const syncMessage = { content: { contacts: { blob: attachmentToPointer(cdnKey, attachment), complete } } };
      await deliver({ from, to, plaintext, timestamp }, { content: { syncMessage } });
      return { timestamp };
    },
  };
}
