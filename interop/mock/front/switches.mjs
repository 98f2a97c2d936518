// The front's fault switches, set per test with the harness command `frontSet` and cleared with `frontReset`.
// Each switch names the sockets it applies to: "auth" (authenticated chat), "unauth" (unauthenticated chat),
// "provisioning", or "any". A `times` counts down per matching socket; absent means "until reset".
//
//   rejectUpgrade     {status: 403|499|429|503, retryAfter?: seconds, socket?, times?}
//                     answer the upgrade (HTTP/1.1 Upgrade or HTTP/2 CONNECT) with this status instead of relaying
//   closeAfterConnect {code: 4401|4409|1000|1011, reason?, socket?, times?}
//                     accept the socket, then close it with this code at once (4401 on unlink, 4409 elsewhere)
//   closeOnKeepalive  {code: 1000, reason?, socket?, times?}
//                     close instead of answering the socket's first GET /v1/keepalive (production's presence race)
//   swallowKeepalive  {socket?, times?}
//                     take a GET /v1/keepalive... (it still counts as traffic) and never answer it: a lost answer
//   cutAfterConnect   {socket?, times?, probability?: 0..1}
//                     accept the socket, then cut its TCP connection (HTTP/2: the whole session) without a close frame
//   cutRandomly       {socket?, minMs, maxMs}
//                     cut each accepted socket's connection at a random moment in [minMs, maxMs] after it opened
//   provisioningTimeouts {idleMs: 60000, maxMs: 90000}
//                     close provisioning sockets with 1000 "Timeout" when idle / after this long (production's
//                     60 s / 90 s, scaled down for tests); on by default at production values
//   grpcAllow         ["org.signal.chat.attachments.Attachments/GetUploadForm", ...] methods the omnibus relays to
//                     the mock; every other gRPC call is answered UNIMPLEMENTED (grpc-status 12), as production's
//                     allow list does by default
//   displaceLogins    true | false: a new authenticated socket of a device closes the device's older ones with 4409
//                     "Connected elsewhere", as production's presence does; on by default
// A socket's kind is known at upgrade time: the path says provisioning or chat, the Authorization header auth or not.

export const defaultSwitches = () => ({
  rejectUpgrade: null,
  closeAfterConnect: null,
  closeOnKeepalive: null,
  swallowKeepalive: null,
  cutAfterConnect: null,
  cutRandomly: null,
  provisioningTimeouts: { idleMs: 60_000, maxMs: 90_000 },
  grpcAllow: [],
  displaceLogins: true,
});

const KNOWN = new Set(Object.keys(defaultSwitches()));

export class Switches {
  constructor() {
    this.values = defaultSwitches();
  }

  set(changes) {
    for (const [name, value] of Object.entries(changes ?? {})) {
      if (!KNOWN.has(name)) throw new Error(`unknown front switch "${name}" (known: ${[...KNOWN].join(', ')})`);
      this.values[name] = value === null ? defaultSwitches()[name] : structuredClone(value);
    }
    return this.values;
  }

  reset() {
    this.values = defaultSwitches();
    return this.values;
  }

  // The switch `name` if it applies to a socket of `kind`; consumes one of its `times`.
  take(name, kind) {
    const value = this.values[name];
    if (!value) return null;
    const socket = value.socket ?? 'any';
    if (socket !== 'any' && socket !== kind) return null;
    if (value.probability !== undefined && Math.random() >= value.probability) return null;
    if (value.times !== undefined) {
      if (value.times <= 0) return null;
      value.times -= 1;
    }
    return value;
  }

  grpcAllowed(method) {
    return (this.values.grpcAllow ?? []).includes(method);
  }
}
