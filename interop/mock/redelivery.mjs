// Signal's server keeps an envelope until the device acknowledges it and sends it again on the device's next
// connection, ahead of the queue-empty marker. The mock awaits the acknowledgement on the socket it used, forever
// when that socket closes first: the envelope is then neither delivered nor queued (and the sender's promise never
// settles); and an envelope queued for the next socket that fails there is dropped. The fault tests kill and cut our
// client in the middle of deliveries, so the harness gives the mock the real server's behaviour: a socket that
// closes fails its unacknowledged requests, and an envelope whose delivery failed goes into the mock's own queue for
// the device's next socket (delivered before queue-empty), again and again until it is acknowledged. A client that
// stored but did not ack an envelope thus sees it twice, as in production.
const OPEN = 1;

export function redeliverUnacknowledged(server) {
  const add = server.addWebSocket.bind(server);

  server.addWebSocket = async (device, socket) => {
    socket.ws.once('close', () => {
      for (const settle of socket.requests.values()) settle({ status: 503, message: 'socket closed before the ack' });
      socket.requests.clear();
    });
    await add(device, socket);
  };

  const queueForNextSocket = (target, message) => new Promise((resolve, reject) => {
    let queue = server.messageQueue.get(target);
    if (!queue) {
      queue = [];
      server.messageQueue.set(target, queue);
    }
    queue.push(async socket => {
      try {
        await socket.sendMessage(message);
        resolve();
      } catch (error) {
        reject(error);
      }
    });
  });

  server.send = async (target, message) => {
    let failed = null;
    for (;;) {
      const socket = server.webSockets.get(target);
      if (socket && socket !== failed && socket.ws.readyState === OPEN) {
        try {
          await socket.sendMessage(message);
          return;
        } catch {
          // Refused or closed before the ack. A socket that replaced it may already be there: try that one.
          failed = socket;
          continue;
        }
      }
      try {
        await queueForNextSocket(target, message);
        return;
      } catch {
        // Failed again on that socket: go round (its successor, or the queue for the one after).
      }
    }
  };
}
