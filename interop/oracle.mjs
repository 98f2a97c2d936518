// Test oracle: Signal's reference libsignal, driven by SignalSharp's C# tests over stdin/stdout.
// One JSON request per line: {"id":1,"op":"area.name","args":{...}}.
// One JSON response per line: {"id":1,"ok":true,"result":...} or {"id":1,"ok":false,"error":"..."}.
// Binary values travel as base64 strings. Handlers live in oracle/*.mjs, one file per area, so that
// each area grows without touching the others; each default-exports { "area.op": async (args, state) => result }.
import { readdir } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

if (!Promise.withResolvers) {
  Promise.withResolvers = function () {
    let resolve, reject;
    const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}

const here = path.dirname(fileURLToPath(import.meta.url));
const handlers = new Map();
for (const file of (await readdir(path.join(here, 'oracle'))).filter(f => f.endsWith('.mjs')).sort()) {
  const mod = await import(pathToFileURL(path.join(here, 'oracle', file)).href);
  for (const [op, fn] of Object.entries(mod.default ?? {})) {
    if (handlers.has(op)) throw new Error(`oracle op ${op} defined twice (${file})`);
    handlers.set(op, fn);
  }
}

// State shared by all handlers of this process (sessions, stores), keyed by whatever the handler picks.
const state = new Map();
handlers.set('oracle.ops', async () => [...handlers.keys()].sort());

const write = obj => process.stdout.write(JSON.stringify(obj) + '\n');
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
let queue = Promise.resolve();
rl.on('line', line => {
  if (!line.trim()) return;
  // Requests run one at a time, in order: stateful oracles (sessions) depend on it.
  queue = queue.then(async () => {
    let id = null;
    try {
      const req = JSON.parse(line);
      id = req.id;
      const fn = handlers.get(req.op);
      if (!fn) throw new Error(`unknown oracle op: ${req.op}`);
      write({ id, ok: true, result: (await fn(req.args ?? {}, state)) ?? null });
    } catch (e) {
      write({ id, ok: false, error: String(e?.stack ?? e) });
    }
  });
});
rl.on('close', () => { queue.then(() => process.exit(0)); });
write({ id: 0, ok: true, result: 'ready' });
