// Basic ops that every area's tests may use: the oracle's own version and an echo for the fixture's tests.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);

export default {
  'oracle.version': async () => require('@signalapp/libsignal-client/package.json').version,
  'oracle.echo': async args => args,
};
