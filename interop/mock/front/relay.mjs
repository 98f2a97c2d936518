// One client WebSocket accepted by the front, relayed frame by frame to its own WebSocket on the mock.
// Both sides are terminated here: each client frame is decoded as a WebSocketMessage, so a REST handler
// registered on the front (see rest.mjs) can answer a request itself; everything else passes to the mock as is,
// and everything the mock sends passes back to the client as is. Fault switches act on the client side.
import { WebSocket } from 'ws';
import { decode, encodeRequest, encodeResponse } from './wire.mjs';

let nextSocketId = 1;

export class RelayedSocket {
  // client: a `ws` WebSocket (server role) for the client; cut(): drops the client's transport without a close frame.
  constructor({ front, kind, path, headers, client, cut, listener }) {
    this.id = nextSocketId++;
    this.front = front;
    this.kind = kind;
    this.path = path;
    this.headers = headers;
    this.listener = listener;
    this.client = client;
    this.cutTransport = cut;
    this.upstream = null;
    this.pending = [];
    this.closed = false;
    this.keepalives = 0;
    this.timers = [];
    // Responses the mock gives to requests a handler forwarded: kept here, not relayed (id → resolve).
    this.captured = new Map();
    this.auth = parseBasic(headers.authorization);
  }

  log(...parts) {
    this.front.log(`socket ${this.id} (${this.kind} via ${this.listener})`, ...parts);
  }

  async start() {
    this.front.sockets.add(this);
    this.client.on('message', (data, isBinary) => this.onClientFrame(data, isBinary));
    this.client.on('close', (code, reason) => this.finish(`client closed ${code} ${reason}`));
    this.client.on('error', error => this.finish(`client error ${error.message}`));
    this.applyConnectSwitches();
    if (this.closed) return;
    try {
      this.upstream = await this.front.upstream.openWebSocket(this.path, forwardedHeaders(this.headers));
    } catch (error) {
      this.log('upstream failed:', error.message);
      this.closeClient(1011, 'upstream unavailable');
      return;
    }
    if (this.closed) {
      this.upstream.terminate();
      return;
    }
    this.upstream.on('message', (data, isBinary) => {
      if (this.captured.size > 0 && isBinary && this.takeCaptured(data)) return;
      if (!this.closed && this.client.readyState === WebSocket.OPEN) this.client.send(data, { binary: isBinary });
    });
    this.upstream.on('close', (code, reason) => this.closeClient(code === 1005 ? 1000 : code, reason.toString()));
    this.upstream.on('error', error => this.log('upstream error:', error.message));
    for (const frame of this.pending.splice(0)) this.upstream.send(frame.data, { binary: frame.isBinary });
    this.displaceOlderLogins();
  }

  // Production keeps one authenticated socket per device: a new login's presence displaces the older socket, which
  // is closed with 4409 "Connected elsewhere" (a second process logging in as the same device ends the first one's).
  displaceOlderLogins() {
    if (this.kind !== 'auth' || !this.auth || !this.front.switches.values.displaceLogins) return;
    for (const other of [...this.front.sockets]) {
      if (other === this || other.kind !== 'auth' || other.auth?.username !== this.auth.username) continue;
      this.log('displacing socket', other.id, 'of the same device');
      this.front.stats.displaced += 1;
      other.closeClient(4409, 'Connected elsewhere');
    }
  }

  applyConnectSwitches() {
    const switches = this.front.switches;
    const close = switches.take('closeAfterConnect', this.kind);
    if (close) {
      this.log('closing with', close.code, 'after connect (switch)');
      this.closeClient(close.code, close.reason ?? 'Switch');
      return;
    }
    if (switches.take('cutAfterConnect', this.kind)) {
      this.log('cutting right after connect (switch)');
      this.front.stats.cuts += 1;
      // Let the 101 / 200 leave first so that the client sees an open socket that then breaks.
      setImmediate(() => this.cut());
      return;
    }
    const random = switches.take('cutRandomly', this.kind);
    if (random) {
      const after = random.minMs + Math.random() * Math.max(0, random.maxMs - random.minMs);
      this.timers.push(setTimeout(() => {
        this.front.stats.cuts += 1;
        this.cut();
      }, after));
    }
    if (this.kind === 'provisioning') this.armProvisioningTimeouts();
  }

  // Production closes a provisioning socket that saw no traffic for 60 s, and any after 90 s, with 1000 "Timeout".
  armProvisioningTimeouts() {
    const limits = this.front.switches.values.provisioningTimeouts;
    if (!limits) return;
    const timeout = why => {
      this.log('provisioning', why, 'timeout');
      this.front.stats.provisioningTimeouts += 1;
      this.closeClient(1000, 'Timeout');
    };
    if (limits.maxMs) this.timers.push(setTimeout(() => timeout('hard'), limits.maxMs));
    if (limits.idleMs) {
      this.idleTimer = setTimeout(() => timeout('idle'), limits.idleMs);
      this.resetIdle = () => this.idleTimer.refresh();
      this.timers.push(this.idleTimer);
    }
  }

  onClientFrame(data, isBinary) {
    if (this.closed) return;
    this.resetIdle?.();
    let frame;
    try {
      frame = isBinary ? decode(data) : { kind: 'other' };
    } catch {
      frame = { kind: 'other' };
    }
    if (frame.kind === 'request') {
      const { request } = frame;
      this.front.stats.requests.push(`${this.kind} ${request.verb} ${request.pathname}`);
      if (request.verb === 'GET' && request.pathname.startsWith('/v1/keepalive')) {
        this.keepalives += 1;
        if (this.keepalives === 1) {
          const close = this.front.switches.take('closeOnKeepalive', this.kind);
          if (close) {
            this.log('closing with', close.code, 'on the first keepalive (switch)');
            this.closeClient(close.code, close.reason ?? 'OK');
            return;
          }
        }
        if (this.front.switches.take('swallowKeepalive', this.kind)) {
          this.log('leaving keepalive', request.id, 'unanswered (switch)');
          this.front.stats.swallowedKeepalives += 1;
          return;
        }
      }
      const route = this.front.rest.match(this, request);
      if (route) {
        this.answerLocally(route, request);
        return;
      }
    }
    this.toUpstream(data, isBinary);
  }

  // The mock's own answer to a request a handler looked at (the request keeps its id; its answer is held back).
  forward(request) {
    return new Promise(resolve => {
      this.captured.set(request.id, resolve);
      this.toUpstream(encodeRequest({
        id: request.id, verb: request.verb, path: request.path, headers: request.headers,
        body: request.body.length ? request.body : null,
      }), true);
    });
  }

  takeCaptured(data) {
    let frame;
    try {
      frame = decode(data);
    } catch {
      return false;
    }
    if (frame.kind !== 'response' || !this.captured.has(frame.response.id)) return false;
    const resolve = this.captured.get(frame.response.id);
    this.captured.delete(frame.response.id);
    resolve(frame.response);
    return true;
  }

  toUpstream(data, isBinary) {
    if (this.upstream && this.upstream.readyState === WebSocket.OPEN) {
      this.upstream.send(data, { binary: isBinary });
    } else if (!this.upstream) {
      this.pending.push({ data, isBinary });
    }
  }

  answerLocally(route, request) {
    const context = this.front.rest.context(this, request);
    Promise.resolve()
      .then(() => route.handler(request, context))
      .then(answer => answer ?? context.forward(),
            error => {
              this.log(`handler for ${request.verb} ${request.pathname} failed:`, error?.stack ?? error);
              return { status: 500, body: { error: String(error?.message ?? error) } };
            })
      .then(answer => {
        if (!this.closed && this.client.readyState === WebSocket.OPEN) this.client.send(encodeResponse(request.id, answer));
      })
      .catch(error => this.log('answer failed:', error?.message ?? error));
  }

  closeClient(code, reason) {
    if (this.closed) return;
    try {
      this.client.close(code, reason);
    } catch (error) {
      this.log('close failed:', error.message);
      this.client.terminate();
    }
    this.finish(`closed ${code} ${reason}`);
  }

  cut() {
    if (this.closed) return;
    this.cutTransport();
    this.finish('cut');
  }

  finish(why) {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.front.sockets.delete(this);
    this.log('ended:', why);
    if (this.upstream && this.upstream.readyState <= WebSocket.OPEN) this.upstream.close(1000, 'front: client gone');
    if (this.client.readyState === WebSocket.OPEN) {
      // A close from the peer already answered; anything else ends here.
      setTimeout(() => this.client.terminate(), 2000).unref();
    }
  }
}

function parseBasic(header) {
  if (!header || !/^basic /i.test(header)) return null;
  const text = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const at = text.indexOf(':');
  return at < 0 ? null : { username: text.slice(0, at), password: text.slice(at + 1) };
}

// What the mock reads from the upgrade: credentials and agents; hop-by-hop and pseudo headers stay here.
function forwardedHeaders(headers) {
  const out = {};
  for (const name of ['authorization', 'user-agent', 'x-signal-agent', 'x-signal-receive-stories', 'accept-language']) {
    if (headers[name] !== undefined) out[name] = headers[name];
  }
  return out;
}
