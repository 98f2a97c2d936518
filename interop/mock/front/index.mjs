// The production-style front: listeners that behave as Signal's production chat hosts do, in front of the mock.
//   legacy      TLS, ALPN http/1.1 only, WebSockets by HTTP/1.1 Upgrade (chat.signal.org as libsignal < 0.97.1 and
//               signal-cli used it)
//   h2legacy    TLS, ALPN h2 and http/1.1, HTTP/2 WITHOUT extended CONNECT (no SETTINGS_ENABLE_CONNECT_PROTOCOL),
//               WebSockets only by HTTP/1.1 Upgrade (a load balancer that speaks h2 but not RFC 8441)
//   omnibus     TLS, ALPN h2 only, WebSockets by HTTP/2 extended CONNECT, gRPC answered UNIMPLEMENTED unless the
//               method is allowed (grpc.chat.signal.org, Signal-Server's OmnibusH2Server)
// Every listener relays WebSockets frame by frame (relay.mjs), answers what REST handlers registered (rest.mjs),
// and proxies other HTTPS requests (storage, CDNs) to the mock. See README.md.
import http2 from 'node:http2';
import https from 'node:https';
import { WebSocketServer } from 'ws';
import { RelayedSocket } from './relay.mjs';
import { HttpRoutes, RestRoutes, readBody } from './rest.mjs';
import { webSocketOverStream } from './stream-websocket.mjs';
import { Switches } from './switches.mjs';
import { Upstream } from './upstream.mjs';

const WEBSOCKET_PATHS = ['/v1/websocket/provisioning/', '/v1/websocket/'];

function socketKind(path, headers) {
  if (path.startsWith('/v1/websocket/provisioning')) return 'provisioning';
  return headers.authorization ? 'auth' : 'unauth';
}

const isWebSocketPath = path => WEBSOCKET_PATHS.some(prefix => path.split('?')[0].startsWith(prefix));

export class Front {
  constructor({ server, mockOrigin, tls, host = '127.0.0.1', log = () => {} }) {
    this.server = server;
    this.host = host;
    this.tls = tls;
    this.log = (...parts) => log('[front]', ...parts);
    this.upstream = new Upstream({ origin: mockOrigin, ca: tls.ca });
    this.switches = new Switches();
    this.rest = new RestRoutes(this);
    this.http = new HttpRoutes(this);
    this.sockets = new Set();
    this.listeners = {};
    this.transports = new Set();
    this.stats = newStats();
  }

  async listen() {
    const noHttp1Upgrade = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    const legacy = https.createServer({ ...this.tls, ALPNProtocols: ['http/1.1'] }, (req, res) => this.onHttp(req, res, 'legacy'));
    legacy.on('upgrade', (req, socket, head) => this.onUpgrade(noHttp1Upgrade, req, socket, head, 'legacy'));

    const h2legacy = http2.createSecureServer(
      { ...this.tls, allowHTTP1: true, settings: { enableConnectProtocol: false } },
      (req, res) => this.onHttp(req, res, 'h2legacy'));
    h2legacy.on('upgrade', (req, socket, head) => this.onUpgrade(noHttp1Upgrade, req, socket, head, 'h2legacy'));

    const omnibus = http2.createSecureServer(
      { ...this.tls, allowHTTP1: false, settings: { enableConnectProtocol: true } },
      (req, res) => this.onHttp(req, res, 'omnibus'));
    omnibus.on('connect', (req, res) => this.onConnect(req, res, 'omnibus'));

    for (const [name, listener] of Object.entries({ legacy, h2legacy, omnibus })) {
      listener.on('connection', socket => {
        this.transports.add(socket);
        socket.on('close', () => this.transports.delete(socket));
      });
      listener.on('session', session => {
        this.transports.add(session);
        session.on('close', () => this.transports.delete(session));
        session.on('error', () => {});
      });
      listener.on('tlsClientError', () => {});
      await new Promise(resolve => listener.listen(0, this.host, resolve));
      this.listeners[name] = listener;
    }
    return this.urls();
  }

  port(name) {
    return this.listeners[name].address().port;
  }

  urls() {
    const url = name => `https://${this.host}:${this.port(name)}`;
    return { legacy: url('legacy'), h2legacy: url('h2legacy'), omnibus: url('omnibus') };
  }

  // HTTP/1.1 Upgrade (legacy and h2legacy listeners).
  onUpgrade(wss, req, socket, head, listener) {
    const path = req.url;
    if (!isWebSocketPath(path)) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const kind = socketKind(path, req.headers);
    this.stats.upgrades.push({ listener, kind, protocol: 'http/1.1' });
    const reject = this.switches.take('rejectUpgrade', kind);
    if (reject) {
      this.log(`rejecting ${kind} upgrade on ${listener} with ${reject.status} (switch)`);
      const retry = reject.retryAfter !== undefined ? `Retry-After: ${reject.retryAfter}\r\n` : '';
      socket.end(`HTTP/1.1 ${reject.status} Rejected\r\n${retry}Content-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, client => {
      const relayed = new RelayedSocket({
        front: this, kind, path, headers: req.headers, client, listener, cut: () => socket.destroy(),
      });
      void relayed.start();
    });
  }

  // HTTP/2 extended CONNECT (omnibus listener).
  onConnect(req, res, listener) {
    const path = req.headers[':path'] ?? '';
    if (req.headers[':protocol'] !== 'websocket' || !isWebSocketPath(path)) {
      res.writeHead(404);
      res.end();
      return;
    }
    const kind = socketKind(path, req.headers);
    this.stats.upgrades.push({ listener, kind, protocol: 'h2' });
    const reject = this.switches.take('rejectUpgrade', kind);
    if (reject) {
      this.log(`rejecting ${kind} CONNECT on ${listener} with ${reject.status} (switch)`);
      res.writeHead(reject.status, reject.retryAfter !== undefined ? { 'retry-after': String(reject.retryAfter) } : {});
      res.end();
      return;
    }
    res.writeHead(200);
    // RFC 8441: the stream itself carries the WebSocket frames (server role: the client masks).
    const client = webSocketOverStream(req.stream, 'server');
    const session = req.stream.session;
    const relayed = new RelayedSocket({
      front: this, kind, path, headers: req.headers, client, listener, cut: () => session.destroy(),
    });
    void relayed.start();
  }

  // Plain HTTPS: registered handlers, the gRPC gate, then the mock.
  onHttp(req, res, listener) {
    const path = req.url;
    const method = req.method;
    if (req.headers['content-type']?.startsWith('application/grpc')) {
      const grpcMethod = path.slice(1);
      this.stats.grpc.push({ listener, method: grpcMethod });
      if (listener !== 'omnibus' || !this.switches.grpcAllowed(grpcMethod)) {
        this.stats.grpcRefused += 1;
        // Trailers-only answer, as a gRPC server sends for a call it will not serve.
        res.writeHead(200, { 'content-type': 'application/grpc', 'grpc-status': '12', 'grpc-message': 'Method not allowed' });
        res.end();
        return;
      }
    }
    const route = this.http.match(method, path);
    if (route) {
      Promise.resolve()
        .then(() => route.handler(req, res, this.http.context(req)))
        .catch(error => {
          this.log(`http handler for ${method} ${path} failed:`, error?.stack ?? error);
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
      return;
    }
    void this.proxy(req, res);
  }

  async proxy(req, res) {
    try {
      const headers = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (name.startsWith(':') || HOP_BY_HOP.has(name)) continue;
        headers[name] = value;
      }
      const body = await readBody(req);
      const reply = await this.upstream.request({ method: req.method, path: req.url, headers, body: body.length ? body : undefined });
      const out = {};
      for (const [name, value] of Object.entries(reply.headers)) {
        if (name.startsWith(':') || HOP_BY_HOP.has(name)) continue;
        out[name] = value;
      }
      res.writeHead(reply.status, out);
      res.end(reply.body);
    } catch (error) {
      this.log('proxy failed:', error?.message ?? error);
      if (!res.headersSent) res.writeHead(502);
      res.end();
    }
  }

  // Immediate actions for tests: close (with a code) or cut every open socket of a kind.
  closeSockets({ socket = 'any', code, reason = '' }) {
    let count = 0;
    for (const relayed of [...this.sockets]) {
      if (socket !== 'any' && relayed.kind !== socket) continue;
      count += 1;
      if (code === undefined) relayed.cut();
      else relayed.closeClient(code, reason);
    }
    return { count };
  }

  resetStats() {
    this.stats = newStats();
  }

  async close() {
    for (const relayed of [...this.sockets]) relayed.cut();
    for (const transport of [...this.transports]) transport.destroy();
    this.upstream.close();
    await Promise.all(Object.values(this.listeners).map(l => new Promise(resolve => l.close(() => resolve()))));
  }
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'http2-settings', 'te', 'proxy-connection']);

function newStats() {
  return { upgrades: [], requests: [], routes: [], grpc: [], grpcRefused: 0, cuts: 0, provisioningTimeouts: 0, displaced: 0, swallowedKeepalives: 0 };
}
