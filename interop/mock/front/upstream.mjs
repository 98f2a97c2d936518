// The front's side towards the mock: one HTTP/2 session (reopened when it dies) carrying WebSockets by extended
// CONNECT (the only way the mock accepts them), plain HTTPS requests, and gRPC calls.
import http2 from 'node:http2';
import { webSocketOverStream } from './stream-websocket.mjs';

export class Upstream {
  constructor({ origin, ca }) {
    this.origin = origin;
    this.ca = ca;
    this.session = null;
    this.ready = null;
  }

  async connect() {
    if (this.session && !this.session.closed && !this.session.destroyed) {
      await this.ready;
      return this.session;
    }
    const session = http2.connect(this.origin, { ca: this.ca });
    this.session = session;
    session.on('error', () => {});
    session.on('close', () => {
      if (this.session === session) this.session = null;
    });
    // Extended CONNECT may be used only once the mock's SETTINGS (ENABLE_CONNECT_PROTOCOL) arrived.
    this.ready = new Promise((resolve, reject) => {
      session.once('remoteSettings', resolve);
      session.once('error', reject);
    });
    await this.ready;
    return session;
  }

  // A client-role `ws` WebSocket over an HTTP/2 stream to the mock's `path`.
  async openWebSocket(path, headers) {
    const session = await this.connect();
    const stream = session.request({
      ':method': 'CONNECT',
      ':protocol': 'websocket',
      ':scheme': 'https',
      ':path': path,
      ':authority': new URL(this.origin).host,
      'sec-websocket-version': '13',
      ...headers,
    });
    return await new Promise((resolve, reject) => {
      stream.once('error', reject);
      stream.once('response', responseHeaders => {
        const status = responseHeaders[':status'];
        if (status !== 200) {
          stream.close();
          reject(new Error(`mock answered CONNECT ${path} with ${status}`));
          return;
        }
        resolve(webSocketOverStream(stream, 'client'));
      });
    });
  }

  // A plain request to the mock: {status, headers, body: Buffer}.
  async request({ method, path, headers = {}, body }) {
    const session = await this.connect();
    const stream = session.request({ ':method': method, ':path': path, ...headers });
    return await new Promise((resolve, reject) => {
      let status = 0;
      let responseHeaders = {};
      const chunks = [];
      stream.on('response', h => {
        status = h[':status'];
        responseHeaders = h;
      });
      stream.on('trailers', t => Object.assign(responseHeaders, t));
      stream.on('data', chunk => chunks.push(chunk));
      stream.on('end', () => resolve({ status, headers: responseHeaders, body: Buffer.concat(chunks) }));
      stream.on('error', reject);
      stream.end(body ?? undefined);
    });
  }

  // A unary gRPC call to the mock: the reply's message bytes and grpc-status. `message` is the encoded request.
  async grpc(method, message, headers = {}) {
    const frame = Buffer.alloc(5 + message.length);
    frame.writeUInt32BE(message.length, 1);
    Buffer.from(message).copy(frame, 5);
    const reply = await this.request({
      method: 'POST',
      path: `/${method}`,
      headers: { 'content-type': 'application/grpc', te: 'trailers', ...headers },
      body: frame,
    });
    const grpcStatus = Number(reply.headers['grpc-status'] ?? -1);
    const payload = reply.body.length >= 5 ? reply.body.subarray(5, 5 + reply.body.readUInt32BE(1)) : Buffer.alloc(0);
    return { grpcStatus, grpcMessage: reply.headers['grpc-message'] ?? null, message: payload };
  }

  close() {
    this.session?.destroy();
  }
}
