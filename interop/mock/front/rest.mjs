// The hooks through which REST translations are added to the front (see README.md "The hook").
//
// WebSocket requests (inside a chat socket):
//   front.rest.register({verb, pathPrefix, socket = 'any', name?}, handler)
//   handler(request, context) → answer | undefined (a Promise of either)
//     request: {id, verb, path, pathname, query: URLSearchParams, headers: {lower-case: value}, body: Buffer}
//     answer : {status, message?, headers?: {name: value}, body?: Buffer | string | JSON-able object}
//     undefined: pass the request on to the mock unchanged (context.forward()).
//     context: {socket: {id, kind: 'auth'|'unauth'|'provisioning', listener, username?, password?},
//               server (the mock's Server), upstream: {grpc(method, bytes, headers), request({...})},
//               forward(): the mock's own answer to this request, front (for stats and switches)}
// Plain HTTPS requests (CDN endpoints, on every front listener):
//   front.http.register({method, pathPrefix, name?}, handler)
//   handler(req, res, context) with Node's http/http2-compat req/res; context: {server, upstream, front, body()}
//     where body() reads the request body into a Buffer. Unmatched requests are proxied to the mock.
// The first registered route that matches wins; `name` shows up in front.stats.routes when a route answered.

export class RestRoutes {
  constructor(front) {
    this.front = front;
    this.routes = [];
  }

  register({ verb, pathPrefix, socket = 'any', name }, handler) {
    if (!verb || !pathPrefix || typeof handler !== 'function') throw new Error('register needs verb, pathPrefix and a handler');
    this.routes.push({ verb: verb.toUpperCase(), pathPrefix, socket, name: name ?? `${verb} ${pathPrefix}`, handler });
  }

  match(relayed, request) {
    const route = this.routes.find(r => r.verb === request.verb.toUpperCase()
      && request.pathname.startsWith(r.pathPrefix)
      && (r.socket === 'any' || r.socket === relayed.kind));
    if (route) this.front.stats.routes.push(route.name);
    return route;
  }

  context(relayed, request) {
    const front = this.front;
    return {
      socket: {
        id: relayed.id,
        kind: relayed.kind,
        listener: relayed.listener,
        username: relayed.auth?.username ?? null,
        password: relayed.auth?.password ?? null,
      },
      server: front.server,
      upstream: front.upstream,
      front,
      forward: () => relayed.forward(request),
    };
  }
}

export class HttpRoutes {
  constructor(front) {
    this.front = front;
    this.routes = [];
  }

  register({ method, pathPrefix, name }, handler) {
    if (!method || !pathPrefix || typeof handler !== 'function') throw new Error('register needs method, pathPrefix and a handler');
    this.routes.push({ method: method.toUpperCase(), pathPrefix, name: name ?? `${method} ${pathPrefix}`, handler });
  }

  match(method, path) {
    const route = this.routes.find(r => (r.method === '*' || r.method === method) && path.startsWith(r.pathPrefix));
    if (route) this.front.stats.routes.push(route.name);
    return route;
  }

  context(req) {
    return {
      server: this.front.server,
      upstream: this.front.upstream,
      front: this.front,
      body: () => readBody(req),
    };
  }
}

export function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
