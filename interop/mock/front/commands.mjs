// Harness commands for the front (merged into harness.mjs's table when it runs with --front):
//   frontSet {switches: {...}}      → the switches now in force (see switches.mjs)
//   frontReset                      → switches back to production defaults, stats cleared
//   frontStats                      → {upgrades, requests, routes, grpc, grpcRefused, cuts, provisioningTimeouts, displaced, swallowedKeepalives, openSockets}
//   frontCloseSockets {socket?, code?, reason?} → {count}: close open sockets with `code`, or cut them without one
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Front } from './index.mjs';

// Starts the front, loads every route module in routes/ (each default-exports `register(front, deps)`, which may
// return harness commands {name: async args => result}), and returns {front, urls, commands}.
export async function startFront({ server, mockOrigin, tls, host, log, deps }) {
  const front = new Front({ server, mockOrigin, tls, host, log });
  const urls = await front.listen();
  const routes = path.join(path.dirname(fileURLToPath(import.meta.url)), 'routes');
  const modules = fs.existsSync(routes) ? fs.readdirSync(routes).filter(f => f.endsWith('.mjs')).sort() : [];
  const extraCommands = {};
  for (const file of modules) {
    const module = await import(pathToFileURL(path.join(routes, file)).href);
    Object.assign(extraCommands, (await module.default(front, deps)) ?? {});
  }
  const commands = {
    ...extraCommands,
    frontSet: async ({ switches }) => front.switches.set(switches),
    frontReset: async () => {
      front.resetStats();
      return front.switches.reset();
    },
    frontStats: async () => ({ ...front.stats, openSockets: [...front.sockets].map(s => ({ id: s.id, kind: s.kind, listener: s.listener })) }),
    frontCloseSockets: async ({ socket, code, reason }) => front.closeSockets({ socket, code, reason }),
  };
  return { front, urls, commands, routeModules: modules };
}
