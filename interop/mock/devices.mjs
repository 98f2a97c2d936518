// The device-list routes Signal's server has and the mock 27.0.0 lacks, served from the mock's own device registry
// (merged into harness.mjs):
//   GET /v1/devices → {devices: [{id, name, created, lastSeen, registrationId}]}: every device the mock holds for the
//     authenticated account; `name` is the encrypted DeviceName the device sent when it linked (recorded from the
//     mock's own parse of PUT /v1/devices/link), absent for the primary.
//   DELETE /v1/devices/:id → 204 after the mock's own removeDeviceByServiceId; 403 for the primary, 404 for an
//     unknown id; only on an authenticated socket.
//   PUT /v1/accounts/name?deviceId=N {deviceName} → 204: replaces device N's encrypted name (what GET /v1/devices then
//     lists); a linked device may rename only itself (403), an unknown id is 404, a body without deviceName 422.
// Command: devicesOf {of = 'phone'} → [deviceId]: the ids the mock holds for that account now.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const schemas = require('@signalapp/mock-server/src/data/schemas.js');
const { Connection } = require('@signalapp/mock-server/src/server/ws/connection.js');

// Names and link times by registration id, as each linking device sent them.
const linked = new Map();
const parse = schemas.AtomicLinkingDataSchema.safeParse.bind(schemas.AtomicLinkingDataSchema);
schemas.AtomicLinkingDataSchema.safeParse = body => {
  const result = parse(body);
  if (!result.error) linked.set(result.data.accountAttributes.registrationId, { name: result.data.accountAttributes.name, created: Date.now() });
  return result;
};

const answer = (request, status, json) => ({
  id: request.id,
  status,
  message: null,
  headers: ['Content-Type:application/json'],
  body: Buffer.from(JSON.stringify(json ?? {})),
});

export default function deviceCommands({ server, primary }) {
  const started = Date.now();
  const handle = Connection.prototype.handleRequest;
  Connection.prototype.handleRequest = async function (request) {
    const path = (request.path ?? '').split('?')[0];
    const removal = /^\/v1\/devices\/(\d+)$/.exec(path);
    const rename = request.verb === 'PUT' && path === '/v1/accounts/name';
    if (!(request.verb === 'GET' && path === '/v1/devices') && !(request.verb === 'DELETE' && removal) && !rename) {
      return handle.call(this, request);
    }
    if (!this.device) return answer(request, 401, { error: 'Not authorized' });
    const aci = this.device.aci;
    if (rename) {
      const query = new URLSearchParams((request.path ?? '').split('?')[1] ?? '');
      const id = query.has('deviceId') ? Number(query.get('deviceId')) : this.device.deviceId;
      if (id !== this.device.deviceId && this.device.deviceId !== 1) return answer(request, 403, { error: 'a linked device renames only itself' });
      const device = (await server.getAllDevicesByServiceId(aci)).find(d => d.deviceId === id);
      if (!device) return answer(request, 404, { error: 'no such device' });
      let body = null;
      try { body = JSON.parse(Buffer.from(request.body ?? []).toString()); } catch { body = null; }
      if (typeof body?.deviceName !== 'string' || body.deviceName.length === 0) return answer(request, 422, { error: 'deviceName missing' });
      const known = linked.get(device.registrationId) ?? { created: started };
      linked.set(device.registrationId, { ...known, name: body.deviceName });
      return { id: request.id, status: 204, message: null, headers: [], body: undefined };
    }
    if (removal) {
      const id = Number(removal[1]);
      if (id === 1) return answer(request, 403, { error: 'the primary cannot be removed' });
      const devices = await server.getAllDevicesByServiceId(aci);
      if (!devices.some(d => d.deviceId === id)) return answer(request, 404, { error: 'no such device' });
      await server.removeDeviceByServiceId(aci, id);
      return { id: request.id, status: 204, message: null, headers: [], body: undefined };
    }
    const devices = await server.getAllDevicesByServiceId(aci);
    return answer(request, 200, {
      devices: devices.map(d => {
        const known = linked.get(d.registrationId);
        return { id: d.deviceId, name: known?.name, created: known?.created ?? started, lastSeen: Date.now(), registrationId: d.registrationId };
      }),
    });
  };

  return {
    devicesOf: async ({ of = 'phone' }) => (await server.getAllDevicesByServiceId(primary(of).device.aci)).map(d => d.deviceId),
  };
}
