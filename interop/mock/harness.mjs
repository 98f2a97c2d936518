// SignalSharp's harness for Signal's mock server (@signalapp/mock-server, pinned in interop/).
//
// Starts the mock on loopback, creates a "phone" (the primary our client links to) and its contacts,
// prints one line {"event":"ready",...} and then serves JSON-line commands on stdin:
//   in : {"id":7,"cmd":"ping"}
//   out: {"id":7,"ok":true,"result":"pong"}  or  {"id":7,"ok":false,"error":"..."}
// Other stdout lines are events ({"event":...}). Diagnostics go to stderr.
// Commands: ping; createAccount {name, hasE164?, withContacts?} → {aci, pni, number, password} (a primary we may log in
//   as "<aci>.1"; hasE164: false makes an account without a phone number and so without a PNI; withContacts gives it
//   the harness's contacts, as the phone has them);
//   createSecondary {of} → {name, aci, deviceId, password} (a device of `of` that contacts can send to);
//   link {provisionUrl} → the linked device; sendText {from, to, text, timestamp?, sealed?};
//   waitForMessage {at, timeoutMs?}; deviceKeys {of?} (keys.mjs); rateLimit / stopRateLimiting {source, target}; setUpgradeHeaders {headers}; dropConnections; shutdown.
// Commands run concurrently: `link` waits for the client to upload its keys while others proceed.
// Closing stdin (the test process went away) shuts the server down, so no node process outlives its test.
//
// Options: --host 127.0.0.1  --port 0  --contacts Alice,Bob  --timeout-ms 60000
//   --front: also start the production-style front (front/README.md); the ready line then has `front` URLs and
//   the front* commands exist.
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The mock awaits Promise.withResolvers (Node >= 22) in its offline queue and its provisioning queue.
// It must exist before the package is loaded, hence require() below rather than a hoisted import.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function () {
    let resolve, reject;
    const promise = new this((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}

const require = createRequire(import.meta.url);
const mock = require('@signalapp/mock-server');
const { Server, ServiceIdKind, loadCertificates } = mock;
const packageRoot = path.dirname(require.resolve('@signalapp/mock-server/package.json'));

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const host = option('host', '127.0.0.1');
const port = Number(option('port', '0'));
const contactNames = option('contacts', 'Alice,Bob').split(',').map(s => s.trim()).filter(Boolean);
const timeoutMs = Number(option('timeout-ms', '60000'));

// Buffers and bigints travel as base64 strings and decimal strings.
const encode = value => JSON.stringify(value, (_key, v) => {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v && v.type === 'Buffer' && Array.isArray(v.data)) return Buffer.from(v.data).toString('base64');
  return v;
});
const emit = obj => process.stdout.write(encode(obj) + '\n');
const log = (...parts) => process.stderr.write(`[harness] ${parts.join(' ')}\n`);

function withTimeout(promise, ms, what) {
  let timer;
  const expiry = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

const describeDevice = device => ({
  aci: device.aci,
  pni: device.pni ? String(device.pni).replace(/^PNI:/, '') : null,
  number: device.number ?? null,
  deviceId: device.deviceId,
});

const keyModule = await import('./keys.mjs');
const { forgetProvisioning } = keyModule;

const cdn3 = fs.mkdtempSync(path.join(os.tmpdir(), 'signalsharp-cdn3-'));
fs.mkdirSync(path.join(cdn3, 'attachments'), { recursive: true });

const server = new Server({ timeout: timeoutMs, cdn3Path: cdn3 });
(await import('./redelivery.mjs')).redeliverUnacknowledged(server);
await server.listen(port, host);
const origin = `https://${host}:${server.address().port}`;

// Every HTTP/2 session (each client connection) is tracked so that `dropConnections` can cut them like a
// network failure would, and so that shutdown does not wait for clients that never hang up.
const sessions = new Set();
server.https.on('session', session => {
  sessions.add(session);
  session.on('close', () => sessions.delete(session));
});

const primaries = new Map();
const contacts = [];
for (const name of contactNames) {
  const device = await server.createPrimaryDevice({ profileName: name });
  contacts.push(device);
  primaries.set(name.toLowerCase(), device);
}
const phone = await server.createPrimaryDevice({ profileName: 'Phone', contacts });
primaries.set('phone', phone);
let linked = null;
// Extra devices the harness registered itself ("<owner>:<deviceId>"), reachable as targets by that name.
const devices = new Map();

const primary = name => {
  const found = primaries.get(String(name ?? 'phone').toLowerCase());
  if (!found) throw new Error(`unknown primary "${name}" (known: ${[...primaries.keys()].join(', ')})`);
  return found;
};
const target = name => {
  if (devices.has(name)) return devices.get(name);
  if ((name ?? 'linked') === 'linked') {
    if (!linked) throw new Error('no linked device yet: run "link" first');
    return linked;
  }
  return primary(name).device;
};

const caCertPath = path.join(packageRoot, 'certs', 'ca-cert.pem');
let front = null;
if (process.argv.includes('--front')) {
  const { startFront } = await import('./front/commands.mjs');
  front = await startFront({
    server,
    mockOrigin: origin,
    host,
    tls: {
      key: fs.readFileSync(path.join(packageRoot, 'certs', 'key.pem')),
      cert: fs.readFileSync(path.join(packageRoot, 'certs', 'full-cert.pem')),
      ca: fs.readFileSync(caCertPath),
    },
    log,
    deps: { server, primary, target, origin, caCertPath, withTimeout, timeoutMs, log },
  });
}

const certificates = await loadCertificates();
emit({
  event: 'ready',
  pid: process.pid,
  host,
  port: server.address().port,
  urls: {
    chat: origin,
    chatWebSocket: `wss://${host}:${server.address().port}/v1/websocket/`,
    provisioningWebSocket: `wss://${host}:${server.address().port}/v1/websocket/provisioning/`,
    storage: `${origin}/storageService`,
    cdn0: origin,
    cdn2: `${origin}/cdn2`,
    cdn3: `${origin}/cdn3`,
  },
  caCertPath: path.join(packageRoot, 'certs', 'ca-cert.pem'),
  trustRoot: certificates.serverTrustRoots[0],
  serverPublicParams: certificates.serverPublicParams,
  genericServerPublicParams: certificates.genericServerPublicParams,
  backupServerPublicParams: certificates.backupServerPublicParams,
  verificationCode: '111111',
  front: front ? { ...front.urls, routeModules: front.routeModules } : null,
  phone: { name: 'phone', ...describeDevice(phone.device) },
  contacts: contacts.map((c, i) => ({ name: contactNames[i].toLowerCase(), ...describeDevice(c.device) })),
});

const commands = {
  ping: async () => 'pong',

  // A fresh primary account whose password the client may use to open an authenticated chat socket as
  // "<aci>.1" (the mock keeps no socket of its own for primaries, so nothing else competes for it).
  createAccount: async ({ name, hasE164 = true, withContacts = false }) => {
    if (!name || primaries.has(name.toLowerCase())) throw new Error(`account name "${name}" missing or taken`);
    const password = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex');
    const device = await server.createPrimaryDevice({ profileName: name, password, hasE164, contacts: withContacts ? contacts : [] });
    primaries.set(name.toLowerCase(), device);
    return { name: name.toLowerCase(), ...describeDevice(device.device), password };
  },

  // A secondary device of a primary, registered by the server with keys the owner generated, and a password so
  // that a client can open its authenticated chat socket and receive what the contacts send to it (real
  // envelopes it cannot decrypt: transport tests only). The contacts get sessions with it.
  createSecondary: async ({ of = 'phone' }) => {
    const owner = primary(of);
    const device = await server.createSecondaryDevice(owner);
    const password = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex');
    server.setDeviceAuthPassword(device, password);
    for (const contact of contacts) {
      if (contact === owner) continue;
      await contact.addSingleUseKey(device, await device.popSingleUseKey(ServiceIdKind.ACI), ServiceIdKind.ACI);
    }
    const name = `${String(of).toLowerCase()}:${device.deviceId}`;
    devices.set(name, device);
    return { name, ...describeDevice(device), password };
  },

  // Headers the mock adds to every WebSocket upgrade answer from now on (e.g. X-Signal-Alert).
  setUpgradeHeaders: async ({ headers = {} }) => {
    server.setWebsocketUpgradeResponseHeaders(headers);
    return true;
  },

  // Sends from `source` (an ACI) to `target` (a primary's name) answer 428 until stopRateLimiting.
  rateLimit: async ({ source, target: to }) => {
    server.rateLimit({ source, target: primary(to).device.aci });
    return true;
  },
  stopRateLimiting: async ({ source, target: to }) => server.stopRateLimiting({ source, target: primary(to).device.aci }) ?? null,

  // Ends every client connection at the HTTP/2 level, as a network failure would.
  dropConnections: async () => {
    const count = sessions.size;
    for (const session of [...sessions]) session.destroy();
    return { dropped: count };
  },

  // The phone "scans" the client's QR code: completes the pending provisioning socket with the phone as
  // primary. Resolves once the client has linked and uploaded ACI and PNI pre-keys, then gives the phone
  // and the contacts sessions with the new device so they can send to it.
  // `as` also names the new device, so that later commands can target it after other links ('linked' is the last one).
  link: async ({ provisionUrl, primary: primaryName = 'phone', as = null }) => {
    if (!provisionUrl) throw new Error('link needs provisionUrl');
    const owner = primary(primaryName);
    const pending = await withTimeout(server.waitForProvision(), timeoutMs, 'a provisioning socket');
    const device = await pending.complete({ provisionURL: provisionUrl, primaryDevice: owner });
    forgetProvisioning(server, device);
    linked = device;
    if (as) devices.set(as, device);
    await owner.addSingleUseKey(device, await device.popSingleUseKey(ServiceIdKind.ACI), ServiceIdKind.ACI);
    for (const contact of contacts) {
      await contact.addSingleUseKey(device, await device.popSingleUseKey(ServiceIdKind.ACI), ServiceIdKind.ACI);
    }
    return describeDevice(device);
  },

  // Resolves when the linked client's message reached our device (the mock waits for its 200 ack).
  sendText: async ({ from = 'alice', to = 'linked', text, timestamp = Date.now(), sealed = false }) => {
    if (typeof text !== 'string') throw new Error('sendText needs text');
    await primary(from).sendText(target(to), text, { timestamp, sealed, withProfileKey: true });
    return { timestamp };
  },

  // The next message a mock primary decrypted from our client.
  waitForMessage: async ({ at = 'alice', timeoutMs: ms = timeoutMs }) => {
    const entry = await withTimeout(primary(at).waitForMessage(), ms, `a message at ${at}`);
    return {
      source: describeDevice(entry.source),
      envelopeType: entry.envelopeType,
      body: entry.body,
      timestamp: entry.dataMessage?.timestamp ?? null,
    };
  },

  shutdown: async () => {
    setTimeout(() => shutdown(0), 10);
    return true;
  },
};

Object.assign(commands, (await import('./bench.mjs')).default({ server, target }));
if (front) Object.assign(commands, front.commands);
// Attachment commands (storeAttachment, sendAttachment, waitForAttachmentMessage) live in attachments.mjs.
Object.assign(commands, (await import('./attachments.mjs')).default({
  server, primary, target, origin, caCertPath: path.join(packageRoot, 'certs', 'ca-cert.pem'), withTimeout, timeoutMs,
}));
// Sticker packs on the mock's sticker CDN (storeStickerPack) and sticker messages (waitForStickerMessage): stickers.mjs.
Object.assign(commands, (await import('./stickers.mjs')).default({
  server, primary, origin, caCertPath: path.join(packageRoot, 'certs', 'ca-cert.pem'), withTimeout, timeoutMs,
}));
// Reaction commands (sendReaction, waitForDataMessage) live in reactions.mjs.
Object.assign(commands, (await import('./reactions.mjs')).default({ primary, target, withTimeout, timeoutMs }));

// Sync-message commands (waitForSyncMessage, waitForSentTranscript) live in sync.mjs.
Object.assign(commands, (await import('./sync.mjs')).default({ primary, withTimeout, timeoutMs, describeDevice }));
// The contact list our device sends its other devices (waitForContactSync): contactsync.mjs.
Object.assign(commands, (await import('./contactsync.mjs')).default({
  primary, origin, caCertPath: path.join(packageRoot, 'certs', 'ca-cert.pem'), withTimeout, timeoutMs, describeDevice,
}));
// Content commands (sendContent: any Content in Signal's field names; waitForReceipt) live in content.mjs.
Object.assign(commands, (await import('./content.mjs')).default({ primary, target, withTimeout, timeoutMs }));
// Registration commands (setRegisterResponseError) live in registration.mjs.
Object.assign(commands, (await import('./registration.mjs')).default({ server }));

// Group commands (createGroup, sendGroupText, groupInfo) live in groups.mjs.
Object.assign(commands, (await import('./groups.mjs')).default({ primary, target, withTimeout, timeoutMs }));

// Group administration commands (serverGroup) live in groupadmin.mjs.
Object.assign(commands, (await import('./groupadmin.mjs')).default({ server, primary, target, withTimeout, timeoutMs }));

// Group invite links (GET /v2/groups/join, the joining PATCH's password; setGroupLinkAs, joinByLinkAs) live in grouplinks.mjs.
Object.assign(commands, (await import('./grouplinks.mjs')).default({ server, primary }));

// Group messaging commands (routeGroupMessages, waitForGroupMessage, sendGroupSenderKeyText) live in groupmsg.mjs.
Object.assign(commands, (await import('./groupmsg.mjs')).default({ server, primary, target, withTimeout, timeoutMs }));

// Resend-request commands (failNextDecryption, waitForFailedDecryption) live in resend.mjs.
Object.assign(commands, (await import('./resend.mjs')).default({ server, primary, target, withTimeout, timeoutMs }));

// Server-forgery commands (forgePlaintext) live in forge.mjs.
Object.assign(commands, (await import('./forge.mjs')).default({ server, primary, target }));

// Sender-certificate commands (senderCertificates, sealedSenderChecks) live in certs.mjs.
Object.assign(commands, (await import('./certs.mjs')).default({ server, primary }));

// Identity commands (reinstallWithNewIdentity) live in identity.mjs.
Object.assign(commands, (await import('./identity.mjs')).default({ primary, target }));
// Contacts' profiles and the profile the linked device writes: profiles.mjs.
Object.assign(commands, (await import('./profiles.mjs')).default({ primary, target }));
// The device list (GET /v1/devices, DELETE /v1/devices/:id, PUT /v1/accounts/name), served from the mock's registry: devices.mjs.
Object.assign(commands, (await import('./devices.mjs')).default({ server, primary }));

// Linking a new device from a primary we registered (GET /v1/devices/provisioning/code, PUT /v1/provisioning/:address): provisioning.mjs.
Object.assign(commands, (await import('./provisioning.mjs')).default({ server }));
// Profile avatar uploads (PUT /v1/profile's upload form, the CDN 0 form POST): avatars.mjs.
Object.assign(commands, (await import('./avatars.mjs')).default({ server, primary, target }));
// Versioned profiles of the accounts our device writes (PUT /v1/profile kept per version, fetchProfile): profileversions.mjs.
Object.assign(commands, (await import('./profileversions.mjs')).default({ server, target }));
// Change-log paging (206 Partial Content with Content-Range, as Signal's group server): grouplogpaging.mjs.
Object.assign(commands, (await import('./grouplogpaging.mjs')).default({ server }));
// The phone's storage-service state, its own writes, and a conflict before a client's write: storage.mjs.
Object.assign(commands, (await import('./storage.mjs')).default({ server, primary, withTimeout, timeoutMs }));
// Any account's storage (one the client registered itself), read and written with keys the test passes: accountstorage.mjs.
Object.assign(commands, (await import('./accountstorage.mjs')).default({ server }));

// Account attributes (PUT /v1/accounts/attributes, the access key a registration sets) and a sealed send over an
// unauthenticated socket that meets the mock's access-key check (sealedSendOverSocket): accountattributes.mjs.
Object.assign(commands, (await import('./accountattributes.mjs')).default({
  server, primary, origin, caCertPath: path.join(packageRoot, 'certs', 'ca-cert.pem'), withTimeout, timeoutMs,
}));

// Pre-key commands (deviceKeys) live in keys.mjs.
Object.assign(commands, keyModule.default({ target }));

let closing = false;
async function shutdown(code) {
  if (closing) return;
  closing = true;
  log('shutting down');
  for (const session of [...sessions]) session.destroy();
  try {
    if (front) await withTimeout(front.front.close(), 2000, 'front close');
    await withTimeout(server.close(), 2000, 'server close');
  } catch (error) {
    log('close:', error.message);
  }
  fs.rmSync(cdn3, { recursive: true, force: true });
  process.exit(code);
}

process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));
// A client aborting an HTTP/2 stream at the wrong moment makes `micro` throw outside any promise chain.
// That must not take the server (and every later test) down with it.
process.on('uncaughtException', error => {
  log('uncaught exception, server kept alive:', error?.stack ?? error);
  emit({ event: 'uncaughtException', error: String(error?.message ?? error) });
});
process.on('unhandledRejection', error => {
  log('unhandled rejection:', error?.stack ?? error);
});

const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on('line', line => {
  if (!line.trim()) return;
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    emit({ id: null, ok: false, error: `bad JSON: ${error.message}` });
    return;
  }
  const handler = commands[request.cmd];
  if (!handler) {
    emit({ id: request.id, ok: false, error: `unknown command "${request.cmd}"` });
    return;
  }
  Promise.resolve()
    .then(() => handler(request))
    .then(result => emit({ id: request.id, ok: true, result: result ?? null }),
          error => emit({ id: request.id, ok: false, error: String(error?.stack ?? error) }));
});
input.on('close', () => shutdown(0));
