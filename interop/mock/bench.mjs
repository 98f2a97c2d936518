// Benchmark commands for harness.mjs (merged into its command table):
//   queuedMessages {to?} → {count}: messages the mock holds for a device that is offline (default: the linked one),
//     so a load generator knows a burst is fully queued before it brings the device online.
export default ({ server, target }) => ({
  queuedMessages: async ({ to = 'linked' }) => ({ count: server.messageQueue?.get(target(to))?.length ?? 0 }),
});
