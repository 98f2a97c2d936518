// Signal's server keeps an envelope until the device acknowledges it and sends it again on the device's next
// connection. The mock awaits the acknowledgement on the socket it used, forever when that socket closes first:
// the envelope is then neither delivered nor queued (and the sender's promise never settles). The fault tests kill
// and cut our client in the middle of deliveries, so the harness gives the mock the real server's behaviour:
// a socket that closes fails its unacknowledged requests, and a send that failed waits for the device's next
// socket and goes again. A client that stored but did not ack an envelope thus sees it twice, as in production.
const OPEN = 1;

export function redeliverUnacknowledged(server) {
  const waiting = new Map();   // device → wakers of sends waiting for its next socket
  const add = server.addWebSocket.bind(server);

  server.addWebSocket = async (device, socket) => {
    socket.ws.once('close', () => {
      for (const settle of socket.requests.values()) settle({ status: 503, message: 'socket closed before the ack' });
      socket.requests.clear();
    });
    await add(device, socket);
    const wakers = waiting.get(device) ?? [];
    waiting.delete(device);
    for (const wake of wakers) wake();
  };

  server.send = async (target, message) => {
    for (;;) {
      const socket = server.webSockets.get(target);
      if (socket && socket.ws.readyState === OPEN) {
        try {
          await socket.sendMessage(message);
          return;
        } catch {
          // Closed before the ack (or refused): wait for the next socket.
        }
      }
      await new Promise(wake => {
        const wakers = waiting.get(target) ?? [];
        wakers.push(wake);
        waiting.set(target, wakers);
      });
    }
  };
}
