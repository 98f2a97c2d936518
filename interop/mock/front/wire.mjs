// Signal's WebSocket framing for the front: WebSocketMessage{type, request, response} as the mock's own compiled
// protos encode it (SubProtocol.proto in Signal's sources), with requests and responses as plain objects.
//   request : {id: bigint, verb, path, query: URLSearchParams, headers: {lower-case name: value}, body: Buffer}
//   response: {id: bigint, status, message, headers: {name: value}, body: Buffer}
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Proto } = require('@signalapp/mock-server');

export const REQUEST = Proto.WebSocketMessage.Type.REQUEST;
export const RESPONSE = Proto.WebSocketMessage.Type.RESPONSE;

// Header lines travel as "Name:value"; a value may itself contain ':' (only the first one separates).
export function headerObject(lines) {
  const headers = {};
  for (const line of lines ?? []) {
    const at = line.indexOf(':');
    if (at <= 0) continue;
    headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return headers;
}

const headerLines = headers => Object.entries(headers ?? {}).map(([name, value]) => `${name}:${value}`);

export function decode(bytes) {
  const message = Proto.WebSocketMessage.decode(new Uint8Array(bytes));
  if (message.type === REQUEST && message.request) {
    const r = message.request;
    const [pathOnly, queryText = ''] = (r.path ?? '').split('?', 2);
    return {
      kind: 'request',
      request: {
        id: r.id ?? 0n,
        verb: r.verb ?? '',
        path: r.path ?? '',
        pathname: pathOnly,
        query: new URLSearchParams(queryText),
        headers: headerObject(r.headers),
        body: Buffer.from(r.body ?? []),
      },
    };
  }
  if (message.type === RESPONSE && message.response) {
    const r = message.response;
    return {
      kind: 'response',
      response: {
        id: r.id ?? 0n,
        status: r.status ?? 0,
        message: r.message ?? '',
        headers: headerObject(r.headers),
        body: Buffer.from(r.body ?? []),
      },
    };
  }
  return { kind: 'other' };
}

// A handler's answer {status, message?, headers?, body?} becomes a RESPONSE frame; an object body is sent as JSON.
export function encodeResponse(id, answer) {
  let body = answer.body ?? null;
  const headers = { ...(answer.headers ?? {}) };
  if (body !== null && !(body instanceof Uint8Array) && typeof body !== 'string') {
    body = Buffer.from(JSON.stringify(body));
    headers['Content-Type'] ??= 'application/json';
  } else if (typeof body === 'string') {
    body = Buffer.from(body);
  }
  return Buffer.from(Proto.WebSocketMessage.encode({
    type: RESPONSE,
    request: null,
    response: {
      id,
      status: answer.status,
      message: answer.message ?? (answer.status >= 200 && answer.status < 300 ? 'OK' : 'Error'),
      headers: headerLines(headers),
      body,
    },
  }));
}

export function encodeRequest({ id, verb, path, headers, body }) {
  return Buffer.from(Proto.WebSocketMessage.encode({
    type: REQUEST,
    request: { id, verb, path, headers: headerLines(headers), body: body ?? null },
    response: null,
  }));
}
