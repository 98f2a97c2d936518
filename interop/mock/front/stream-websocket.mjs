// A `ws` WebSocket over an HTTP/2 stream (RFC 8441), set up as `ws` sets up the sockets it makes itself.
// `new WebSocket(null)` leaves the options a WebSocketServer or a client would fill in undefined; one of them is the
// close timeout, and `setTimeout(destroy, undefined)` fires after about a millisecond: the stream was reset right
// behind every close frame we sent, and an HTTP/2 client that honours the reset (SocketsHttpHandler drops what it
// buffered) lost the close code. Production's server waits for the peer's close frame before ending the stream.
import { WebSocket } from 'ws';

// ws's own defaults (lib/constants.js CLOSE_TIMEOUT, WebSocketServer's autoPong).
const CLOSE_TIMEOUT_MS = 30_000;

// role 'server': frames from the peer arrive masked, ours go unmasked; 'client': the other way round.
export function webSocketOverStream(stream, role) {
  const socket = new WebSocket(null, undefined, { closeTimeout: CLOSE_TIMEOUT_MS, autoPong: true });
  // Created without an address `ws` takes the server role.
  if (role === 'client') socket._isServer = false;
  socket.setSocket(stream, Buffer.alloc(0), {});
  return socket;
}
