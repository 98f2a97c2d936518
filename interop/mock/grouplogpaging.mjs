// Change-log paging as Signal's group server does it, which the mock 27.0.0 lacks (it answers every change since
// the asked revision at once). Our own code, merged into harness.mjs. Off until a page size is set:
//   setGroupLogPageSize {size} → {size}: from now on GET /storageService/v2/groups/logs/{since} answers at most
//     `size` changes; when more follow it answers 206 Partial Content with
//     `Content-Range: versions {since}-{since + size - 1}/{current revision}` (the server's header), and the client
//     asks again from the next revision. size 0 turns paging off.
//   groupLogRequests {} → [since, …]: the `since` of every change-log request so far, in order.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { ServerGroup } = require('@signalapp/mock-server/src/server/group.js');

export default function groupLogPagingCommands({ server }) {
  let pageSize = 0;
  const requests = [];
  const current = new AsyncLocalStorage();

  const changesSince = ServerGroup.prototype.getChangesSince;
  ServerGroup.prototype.getChangesSince = function getChangesSince(since) {
    const all = changesSince.call(this, since);
    const paging = current.getStore();
    if (!paging || pageSize === 0 || (all.groupChanges?.length ?? 0) <= pageSize) return all;
    paging.range = `versions ${since}-${since + pageSize - 1}/${this.revision}`;
    return { ...all, groupChanges: all.groupChanges.slice(0, pageSize) };
  };

  const [original] = server.https.listeners('request');
  server.https.removeAllListeners('request');
  server.https.on('request', (req, res) => {
    const logs = req.method === 'GET' ? /^\/storageService\/v2\/groups\/logs\/(\d+)$/.exec(new URL(req.url, 'https://mock').pathname) : null;
    if (!logs) {
      original(req, res);
      return;
    }
    requests.push(Number(logs[1]));
    const paging = { range: null };
    const end = res.end.bind(res);
    res.end = (...args) => {
      if (paging.range && res.statusCode === 200) {
        res.statusCode = 206;
        res.setHeader('Content-Range', paging.range);
      }
      return end(...args);
    };
    current.run(paging, () => original(req, res));
  });

  return {
    setGroupLogPageSize: async ({ size }) => {
      pageSize = Math.max(0, Number(size) || 0);
      return { size: pageSize };
    },
    groupLogRequests: async () => [...requests],
  };
}
