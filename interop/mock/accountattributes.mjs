// Account attributes and the access key behind sealed sends, which Signal's server keeps and the mock 27.0.0 does not
// (merged into harness.mjs):
//   POST /v1/registration: besides the mock's handling, the new account's unidentified-access key is the one its
//     accountAttributes carry (Signal-Server creates the account with it; the mock keeps none for an account a client
//     registered, so no sealed send to it would pass the mock's access-key check).
//   PUT /v1/accounts/attributes[/] (authenticated; any device of the account may, as in Signal-Server's
//     AccountController.setAccountAttributes): the body is checked as Signal-Server's AccountAttributes and
//     DeviceAttributes are (422 otherwise): registrationId 1..16383, pniRegistrationId absent or 1..16383,
//     fetchesMessages a boolean, name absent or base64 of at most 225 bytes, capabilities absent or {name: boolean},
//     registrationLock absent, empty or 64 characters, unidentifiedAccessKey absent or 16 bytes (base64, or an array
//     of numbers: Jackson reads a byte[] either way) and present unless unrestrictedUnidentifiedAccess,
//     recoveryPassword absent or 32 bytes in base64. Then the account's access key (on every device the mock holds for
//     it: the mock checks the primary's) becomes the body's, and the write is recorded → 204. As Signal-Server does,
//     a write without registrationLock clears the lock and one without unidentifiedAccessKey leaves no key.
// Commands:
//   accountAttributesWrites {of?} → [{aci, deviceId, body}]: the writes accepted so far, oldest first (those of the
//     account with ACI `of` only, when given).
//   accessKeyOf {of} → base64 or null: the access key the mock checks for the account with ACI `of`.
//   sealedSendOverSocket {from='alice', to, text, profileKey, timestamp?} → {status, error}: the mock primary `from`
//     seals `text` (sealed sender v1, its own sender certificate) to every device the mock holds for the account with
//     ACI `to`, and sends it as a client does, PUT /v1/messages/<to> on an unauthenticated chat socket with the
//     Unidentified-Access-Key derived from `profileKey` (base64; the key `from` learned from that account's message):
//     the mock's own access-key check decides (200, or 401 when the key is not the account's).
// Messages to device 1 of an account a client registered itself: the mock hands a message for a primary only to its
// own PrimaryDevice objects and drops one for a primary it does not run; Signal's server queues it for the device like
// any other. Here such a message is sent to that device's socket (or queue) as the mock sends a linked device's.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import { Upstream } from './front/upstream.mjs';

const require = createRequire(import.meta.url);
const { Connection } = require('@signalapp/mock-server/src/server/ws/connection.js');
const { deriveAccessKey } = require('@signalapp/mock-server/src/crypto');
const { signalservice } = require('@signalapp/mock-server/protos/compiled');

const WSMessage = signalservice.WebSocketMessage;
const ENVELOPE_TYPES = {
  CipherText: signalservice.Envelope.Type.DOUBLE_RATCHET,
  PreKey: signalservice.Envelope.Type.PREKEY_MESSAGE,
  SealedSender: signalservice.Envelope.Type.UNIDENTIFIED_SENDER,
  Plaintext: signalservice.Envelope.Type.PLAINTEXT_CONTENT,
};
const UNIDENTIFIED_SENDER = 6;
const MAX_REGISTRATION_ID = 0x3fff;

const answer = (request, status, json) => ({
  id: request.id,
  status,
  message: null,
  headers: json === undefined ? [] : ['Content-Type:application/json'],
  body: json === undefined ? undefined : Buffer.from(JSON.stringify(json)),
});

const isBase64 = text => typeof text === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.length % 4 === 0;

// A byte[] as Jackson reads it: a base64 string or an array of numbers (-128..255); null when it is neither.
const bytesOf = value => {
  if (typeof value === 'string') return isBase64(value) ? Buffer.from(value, 'base64') : null;
  if (Array.isArray(value) && value.every(n => Number.isInteger(n) && n >= -128 && n <= 255)) return Buffer.from(value.map(n => n & 0xff));
  return null;
};

const validRegistrationId = id => Number.isInteger(id) && id > 0 && id <= MAX_REGISTRATION_ID;

// Signal-Server's checks of AccountAttributes (and the DeviceAttributes unwrapped in it); the first failure, or null.
export function attributesProblem(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'not a JSON object';
  if (!validRegistrationId(body.registrationId)) return 'registrationId';
  if (body.pniRegistrationId != null && !validRegistrationId(body.pniRegistrationId)) return 'pniRegistrationId';
  if (body.fetchesMessages != null && typeof body.fetchesMessages !== 'boolean') return 'fetchesMessages';
  if (body.name != null && (bytesOf(body.name) === null || typeof body.name !== 'string' || bytesOf(body.name).length > 225)) return 'name';
  if (body.capabilities != null && (typeof body.capabilities !== 'object' || Object.values(body.capabilities).some(v => typeof v !== 'boolean'))) return 'capabilities';
  if (body.registrationLock != null && (typeof body.registrationLock !== 'string' || ![0, 64].includes(body.registrationLock.length))) return 'registrationLock';
  const key = body.unidentifiedAccessKey == null ? null : bytesOf(body.unidentifiedAccessKey);
  if (body.unidentifiedAccessKey != null && (key === null || ![0, 16].includes(key.length))) return 'unidentifiedAccessKey';
  if (body.unrestrictedUnidentifiedAccess != null && typeof body.unrestrictedUnidentifiedAccess !== 'boolean') return 'unrestrictedUnidentifiedAccess';
  if (body.unrestrictedUnidentifiedAccess !== true && key?.length !== 16) return 'unidentifiedAccessKey (16 bytes unless unrestricted)';
  if (body.discoverableByPhoneNumber != null && typeof body.discoverableByPhoneNumber !== 'boolean') return 'discoverableByPhoneNumber';
  if (body.recoveryPassword != null && (!isBase64(body.recoveryPassword) || Buffer.from(body.recoveryPassword, 'base64').length !== 32)) return 'recoveryPassword';
  return null;
}

export default function accountAttributeCommands({ server, primary, origin, caCertPath, withTimeout, timeoutMs }) {
  const writes = [];

  const setAccessKey = async (aci, key) => {
    for (const device of await server.getAllDevicesByServiceId(aci)) device.accessKey = key;
  };

  const handleMessage = server.handleMessage.bind(server);
  server.handleMessage = async (source, serviceIdKind, envelopeType, target, encrypted, timestamp) => {
    if (target.deviceId !== 1 || server.primaryDevices.has(target.aci) || !(envelopeType in ENVELOPE_TYPES)) {
      return handleMessage(source, serviceIdKind, envelopeType, target, encrypted, timestamp);
    }
    void server.send(target, Buffer.from(signalservice.Envelope.encode({
      type: ENVELOPE_TYPES[envelopeType],
      sourceServiceIdBinary: source?.aciBinary ?? null,
      sourceDeviceId: source?.deviceId ?? null,
      destinationServiceIdBinary: target.getServiceIdBinaryByKind(serviceIdKind),
      serverTimestamp: timestamp,
      clientTimestamp: timestamp,
      content: encrypted,
      urgent: null,
      serverGuid: null,
      ephemeral: null,
      story: null,
      reportSpamToken: null,
      serverGuidBinary: null,
      updatedPniBinary: null,
      sourceServiceId: null,
      destinationServiceId: null,
      updatedPni: null,
    }))).catch(error => process.stderr.write(`[accountattributes] delivery to ${target.aci}.1 failed: ${error?.message ?? error}\n`));
  };

  const handle = Connection.prototype.handleRequest;
  Connection.prototype.handleRequest = async function (request) {
    const path = (request.path ?? '').split('?')[0];
    let body = null;
    const parse = () => {
      try { body = JSON.parse(Buffer.from(request.body ?? []).toString()); } catch { body = undefined; }
    };
    if (request.verb === 'POST' && path === '/v1/registration') {
      parse();
      const result = await handle.call(this, request);
      if (result?.status !== 200) return result;
      const key = bytesOf(body?.accountAttributes?.unidentifiedAccessKey);
      const aci = JSON.parse(Buffer.from(result.body).toString()).uuid;
      if (aci && key?.length === 16) await setAccessKey(aci, key);
      return result;
    }
    if (request.verb !== 'PUT' || (path !== '/v1/accounts/attributes' && path !== '/v1/accounts/attributes/')) {
      return handle.call(this, request);
    }
    if (!this.device) return answer(request, 401, { error: 'Not authorized' });
    parse();
    if (body === undefined) return answer(request, 400, { error: 'malformed JSON' });
    const problem = attributesProblem(body);
    if (problem) return answer(request, 422, { errors: [problem] });
    const key = body.unidentifiedAccessKey == null ? null : bytesOf(body.unidentifiedAccessKey);
    await setAccessKey(this.device.aci, key?.length === 16 ? key : undefined);
    writes.push({ aci: this.device.aci, deviceId: this.device.deviceId, body });
    return answer(request, 204);
  };

  const sendUnauthenticated = async (path, headers, json) => {
    const upstream = new Upstream({ origin, ca: fs.readFileSync(caCertPath) });
    const socket = await upstream.openWebSocket('/v1/websocket/', {});
    try {
      const id = 1n;
      const reply = new Promise((resolve, reject) => {
        socket.on('message', raw => {
          const message = WSMessage.decode(raw);
          if (message.type === WSMessage.Type.RESPONSE && BigInt(message.response?.id ?? 0) === id) resolve(message.response);
        });
        socket.once('close', () => reject(new Error('the chat socket closed before answering')));
      });
      socket.send(WSMessage.encode({
        type: WSMessage.Type.REQUEST,
        request: {
          verb: 'PUT',
          path,
          id,
          headers: Object.entries({ 'content-type': 'application/json', ...headers }).map(([k, v]) => `${k}:${v}`),
          body: Buffer.from(JSON.stringify(json)),
        },
        response: null,
      }));
      const response = await withTimeout(reply, timeoutMs, `the answer to PUT ${path}`);
      let error = null;
      try { error = JSON.parse(Buffer.from(response.body ?? []).toString()).error ?? null; } catch { error = null; }
      return { status: response.status, error };
    } finally {
      socket.close();
      upstream.session?.close();
    }
  };

  return {
    accountAttributesWrites: async ({ of = null }) => writes.filter(w => of === null || w.aci === of),

    accessKeyOf: async ({ of }) => {
      const device = await server.getDeviceByServiceId(of);
      return device?.accessKey ? Buffer.from(device.accessKey).toString('base64') : null;
    },

    sealedSendOverSocket: async ({ from = 'alice', to, text, profileKey, timestamp = Date.now() }) => {
      if (typeof text !== 'string' || !to || !profileKey) throw new Error('sealedSendOverSocket needs to, text and profileKey');
      const sender = primary(from);
      const devices = await server.getAllDevicesByServiceId(to);
      if (devices.length === 0) throw new Error(`no account ${to}`);
      const messages = [];
      for (const device of devices) {
        const envelope = signalservice.Envelope.decode(await sender.encryptText(device, text, { timestamp, sealed: true, withProfileKey: true }));
        messages.push({
          type: UNIDENTIFIED_SENDER,
          destinationDeviceId: device.deviceId,
          destinationRegistrationId: device.registrationId,
          content: Buffer.from(envelope.content).toString('base64'),
        });
      }
      const accessKey = deriveAccessKey(Buffer.from(profileKey, 'base64')).toString('base64');
      return await sendUnauthenticated(`/v1/messages/${to}`, { 'unidentified-access-key': accessKey }, { messages, timestamp, online: false, urgent: true });
    },
  };
}
