// The routes with which a primary device links a new one, which Signal's server has and the mock 27.0.0 lacks
// (its own primaries link devices through a test-side queue instead); our own code, merged into harness.mjs:
//   GET /v1/devices/provisioning/code → {verificationCode, tokenIdentifier}: a one-time code registered with the
//     mock's own provisioning codes and result queues (so the mock's PUT /v1/devices/link accepts it once); only the primary (device 1)
//     of an authenticated socket gets one (403 otherwise, 401 unauthenticated).
//   PUT /v1/provisioning/{address} {body: base64 ProvisionEnvelope} → 204 after the envelope went to the provisioning
//     socket the mock gave that address (as PUT /v1/message, like the mock's own provisioning); 404 when no such
//     socket waits, 400 without a body, 401 unauthenticated.
// The mock's provisioning socket keeps waiting on its own queue too; it stops when the new device closes the socket.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Connection } = require('@signalapp/mock-server/src/server/ws/connection.js');

const answer = (request, status, json) => ({
  id: request.id,
  status,
  message: null,
  headers: ['Content-Type:application/json'],
  body: Buffer.from(JSON.stringify(json ?? {})),
});

export default function provisioningCommands({ server }) {
  // Provisioning sockets by the address the mock sent them.
  const waiting = new Map();

  const provision = Connection.prototype.handleProvision;
  Connection.prototype.handleProvision = async function (id, socket) {
    waiting.set(id, this);
    socket.on('close', () => waiting.delete(id));
    try {
      return await provision.call(this, id, socket);
    } finally {
      waiting.delete(id);
    }
  };

  const handle = Connection.prototype.handleRequest;
  Connection.prototype.handleRequest = async function (request) {
    const path = (request.path ?? '').split('?')[0];
    const code = request.verb === 'GET' && path === '/v1/devices/provisioning/code';
    const deliver = request.verb === 'PUT' ? /^\/v1\/provisioning\/([^/]+)$/.exec(path) : null;
    if (!code && !deliver) return handle.call(this, request);
    if (!this.device) return answer(request, 401, { error: 'Not authorized' });
    if (code) {
      if (this.device.deviceId !== 1) return answer(request, 403, { error: 'only the primary device links devices' });
      const verificationCode = await server.getProvisioningCode(`added-by-${this.device.aci}`, this.device.aci);
      // The mock's PUT /v1/devices/link reports each linked device to a result queue registered with its code (its
      // own linking awaits it); this one is drained at once so that the link is answered.
      const results = server.createQueue('provisioning.mjs/added');
      server.provisionResultQueueByCode.set(verificationCode, { seenServiceIdKinds: new Set(), promiseQueue: results });
      results.shift().catch(() => undefined);
      return answer(request, 200, { verificationCode, tokenIdentifier: verificationCode });
    }
    let body = null;
    try { body = JSON.parse(Buffer.from(request.body ?? []).toString()); } catch { body = null; }
    if (typeof body?.body !== 'string' || body.body.length === 0) return answer(request, 400, { error: 'body missing' });
    const target = waiting.get(decodeURIComponent(deliver[1]));
    if (!target) return answer(request, 404, { error: 'no provisioning socket with that address' });
    const { status } = await target.send('PUT', '/v1/message', { body: Buffer.from(body.body, 'base64') });
    if (status !== 200) return answer(request, 500, { error: `the new device answered ${status}` });
    return { id: request.id, status: 204, message: null, headers: [], body: undefined };
  };

  return {};
}
