// Production's REST routes and CDNs in front of the mock (issue 12 items 2-4):
//   GET /v4/attachments/form/upload?uploadLength=N (auth socket) → a form from the mock's own GetUploadForm (its key),
//       handed out as production does: CDN 3 at the TUS server's paths, or CDN 2 (GCS-style resumable upload), or
//       the mock's own form unchanged (uploadCdn switch below)
//   PUT /v1/messages/multi_recipient (unauth socket) → Group-Send-Token checked with libsignal's server-side
//       verify against the mock's zkgroup secret, then delivered by the mock's own gRPC multi-recipient handler;
//       its outcome is answered as production's REST does (200 uuids404, 401, 409, 410)
//   TUS  POST /upload/attachments, HEAD/PATCH /upload/attachments/{key}: Bearer token per form, Upload-Offset,
//       409 for a second creation of a key that already holds data (the key is then dead); a finished blob is
//       stored on the mock's CDN 3, so the mock's devices download it there
//   CDN 2 POST /gcs/attachments/{key} (x-goog-resumable: start) → 201 + session URL; PUT /gcs-session/{key} with
//       Content-Range (308 + Range for `bytes */N`); GET /cdn2/attachments/{key}
// Commands: frontUploads {uploadCdn?: 2 | 3 | 'mock', cutFraction?: 0..1 | null, tusHeadFails?: n, tusStaleHeads?: n}
//             → the settings; the next n TUS HEADs answer 404 (the upload's progress unknown, as the mock answers), or
//             report offset 0 whatever arrived (a stale view of the upload: the PATCH that follows meets the 409);
//           frontMultiRecipient {refuseTokens?: n} → the settings: the next n valid group send tokens are answered 401
//             as production answers a token it cannot accept;
//           frontApiStats → {forms, tokensVerified, tokensRefused, multiRecipient: [{contentType, ts, online, urgent,
//             verified?, status}], tusConflicts (creations refused), tusOffsetConflicts (PATCHes refused), cuts, stored}
// The first upload request carrying data after cutFraction is set is cut (connection destroyed) after that
// fraction of the blob, to make the client resume.
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import { cdnOrigins, cdnStores } from '../../cdn-origins.mjs';

const require = createRequire(import.meta.url);
const Proto = require('@signalapp/mock-server/protos/compiled');
const { ServiceId } = require('@signalapp/libsignal-client');
const Z = require('@signalapp/libsignal-client/zkgroup');
const SealedSenderMultiRecipientMessage = require('@signalapp/libsignal-client/dist/SealedSenderMultiRecipientMessage').default;

const chat = Proto.org.signal.chat;
const GET_UPLOAD_FORM = 'org.signal.chat.attachments.Attachments/GetUploadForm';
const SEND_MULTI = 'org.signal.chat.messages.MessagesAnonymous/SendMultiRecipientMessage';

const uuidOf = identifier => {
  const hex = Buffer.from(identifier.uuid).toString('hex');
  const text = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return identifier.identityType === 1 ? `PNI:${text}` : text;
};

export default async function register(front, { server, log }) {
  const settings = { uploadCdn: 3, cutFraction: null, refuseTokens: 0, tusHeadFails: 0, tusStaleHeads: 0 };
  const stats = { forms: [], tokensVerified: 0, tokensRefused: 0, multiRecipient: [], tusConflicts: 0, tusOffsetConflicts: 0, cuts: 0, stored: [] };
  const uploads = new Map(); // key → {token, length, data: Buffer[], received, dead, cdn}
  const cdn2Blobs = new Map();
  const base = () => front.urls().h2legacy;
  cdnOrigins.set(2, base());
  cdnStores.set(2, async (key, blob) => { cdn2Blobs.set(key, Buffer.from(blob)); });

  // --- the upload form -------------------------------------------------------------------------------------------
  front.rest.register({ verb: 'GET', pathPrefix: '/v4/attachments/form/upload', socket: 'auth', name: 'uploadForm' }, async (request, context) => {
    const length = Number(request.query.get('uploadLength') ?? NaN);
    if (!Number.isSafeInteger(length) || length < 0) return { status: 400 };
    const encoded = chat.attachments.GetUploadFormRequest.encode({ uploadLength: BigInt(length) });
    const reply = await context.upstream.grpc(GET_UPLOAD_FORM, encoded, { authorization: request.headers.authorization ?? basic(context.socket) });
    if (reply.grpcStatus !== 0) return { status: 500, body: { error: `mock GetUploadForm: ${reply.grpcStatus} ${reply.grpcMessage}` } };
    const mockForm = chat.attachments.GetUploadFormResponse.decode(reply.message).outcome?.uploadForm;
    if (!mockForm) return { status: 413 };
    const key = mockForm.key;
    stats.forms.push({ cdn: settings.uploadCdn, key, uploadLength: length });
    if (settings.uploadCdn === 'mock') {
      return { status: 200, body: { cdn: mockForm.cdn, key, headers: Object.fromEntries(mockForm.headers ?? new Map()), signedUploadLocation: mockForm.signedUploadLocation } };
    }
    const token = crypto.randomBytes(16).toString('hex');
    uploads.set(key, { token, length: null, data: [], received: 0, dead: false, cdn: settings.uploadCdn });
    if (settings.uploadCdn === 2) {
      return {
        status: 200,
        body: {
          cdn: 2, key,
          headers: { host: 'cdn2.front.invalid', 'x-goog-content-length-range': `1,${length}`, 'x-goog-resumable': 'start' },
          signedUploadLocation: `${base()}/gcs/attachments/${encodeURIComponent(key)}?X-Goog-Signature=${token}`,
        },
      };
    }
    return {
      status: 200,
      body: {
        cdn: 3, key,
        headers: { Authorization: `Bearer ${token}`, 'Upload-Metadata': `filename ${Buffer.from(key).toString('base64')}` },
        signedUploadLocation: `${base()}/upload/attachments`,
      },
    };
  });

  // --- the multi-recipient send ----------------------------------------------------------------------------------
  front.rest.register({ verb: 'PUT', pathPrefix: '/v1/messages/multi_recipient', socket: 'unauth', name: 'multiRecipient' }, async (request, context) => {
    const record = { contentType: request.headers['content-type'] ?? null, ts: request.query.get('ts'), online: request.query.get('online'), urgent: request.query.get('urgent') };
    stats.multiRecipient.push(record);
    const answer = await sendMultiRecipient(request, context, record);
    record.status = answer.status;
    return answer;
  });

  async function sendMultiRecipient(request, context, record) {
    if (record.contentType !== 'application/vnd.signal-messenger.mrm') return { status: 415 };
    const tokenText = request.headers['group-send-token'];
    if (!tokenText) { stats.tokensRefused++; return { status: 401, body: { error: 'no Group-Send-Token' } }; }
    const payload = request.body;
    const recipients = Object.keys(new SealedSenderMultiRecipientMessage(payload).recipientsByServiceIdString());
    try {
      const token = new Z.GroupSendFullToken(Buffer.from(tokenText, 'base64'));
      const keyPair = Z.GroupSendDerivedKeyPair.forExpiration(token.getExpiration(), server.zkSecret);
      token.verify(recipients.map(id => ServiceId.parseFromServiceIdString(id)), keyPair);
      if (settings.refuseTokens > 0) {
        // Production's answer to a token it cannot accept (expired, or endorsing another member set).
        settings.refuseTokens--;
        throw new Error('refused by the refuseTokens switch');
      }
      stats.tokensVerified++;
      record.verified = true;
    } catch (error) {
      stats.tokensRefused++;
      log('[front] group send token refused:', String(error?.message ?? error));
      return { status: 401, body: { error: 'bad group send token' } };
    }
    const encoded = chat.messages.SendMultiRecipientMessageRequest.encode({
      urgent: record.urgent !== 'false',
      message: { timestamp: BigInt(record.ts ?? Date.now()), payload },
      groupSendToken: Buffer.from(tokenText, 'base64'),
    });
    const reply = await context.upstream.grpc(SEND_MULTI, encoded);
    if (reply.grpcStatus !== 0) return { status: 500, body: { error: `mock SendMultiRecipientMessage: ${reply.grpcStatus} ${reply.grpcMessage}` } };
    const response = chat.messages.SendMultiRecipientMessageResponse.decode(reply.message).response ?? {};
    if (response.success) {
      return { status: 200, body: { uuids404: (response.success.unresolvedRecipients ?? []).map(uuidOf) } };
    }
    if (response.mismatchedDevices) {
      const all = response.mismatchedDevices.mismatchedDevices ?? [];
      const stale = all.filter(m => (m.staleDevices ?? []).length > 0);
      if (stale.length > 0) {
        return { status: 410, body: stale.map(m => ({ uuid: uuidOf(m.serviceIdentifier), devices: { staleDevices: m.staleDevices } })) };
      }
      return {
        status: 409,
        body: all.map(m => ({ uuid: uuidOf(m.serviceIdentifier), devices: { missingDevices: m.missingDevices ?? [], extraDevices: m.extraDevices ?? [] } })),
      };
    }
    return { status: 401, body: { error: response.failedUnidentifiedAuthorization?.description ?? 'unauthorized' } };
  }

  // --- CDN 3: TUS at production's paths --------------------------------------------------------------------------
  front.http.register({ method: '*', pathPrefix: '/upload/attachments', name: 'tus' }, async (req, res, context) => {
    const path = new URL(req.url, 'https://front.invalid').pathname;
    const keyInPath = path.length > '/upload/attachments/'.length ? decodeURIComponent(path.slice('/upload/attachments/'.length)) : null;
    const headers = { 'tus-resumable': '1.0.0' };
    if (req.method === 'POST' && keyInPath === null) {
      const metadata = String(req.headers['upload-metadata'] ?? '');
      const key = Buffer.from(metadata.split(' ')[1] ?? '', 'base64').toString();
      const upload = uploads.get(key);
      if (!upload || req.headers.authorization !== `Bearer ${upload.token}`) return end(res, 401, headers);
      if (upload.dead || upload.received > 0) {
        // tus-server: a creation for an object that already exists cleans it up and refuses; the key is spent.
        upload.dead = true;
        stats.tusConflicts++;
        return end(res, 409, headers);
      }
      upload.length = Number(req.headers['upload-length']);
      if (!(await receive(req, upload))) return undefined;
      await finishIfComplete(key, upload);
      return end(res, 201, { ...headers, location: `${base()}/upload/attachments/${encodeURIComponent(key)}`, 'upload-offset': String(upload.received) });
    }
    const upload = keyInPath === null ? null : uploads.get(keyInPath);
    if (!upload || upload.dead || upload.cdn !== 3) return end(res, 404, headers);
    if (req.headers.authorization !== `Bearer ${upload.token}`) return end(res, 401, headers);
    if (req.method === 'HEAD') {
      if (settings.tusHeadFails > 0) {
        settings.tusHeadFails--;
        return end(res, 404, headers);
      }
      let offset = upload.received;
      if (settings.tusStaleHeads > 0) {
        settings.tusStaleHeads--;
        offset = 0;
      }
      return end(res, 200, { ...headers, 'upload-offset': String(offset), 'upload-length': String(upload.length) });
    }
    if (req.method === 'PATCH') {
      if (Number(req.headers['upload-offset']) !== upload.received) {
        stats.tusOffsetConflicts++;
        await drain(req);
        return end(res, 409, headers);
      }
      if (!(await receive(req, upload))) return undefined;
      await finishIfComplete(keyInPath, upload);
      return end(res, 204, { ...headers, 'upload-offset': String(upload.received) });
    }
    await context.body();
    return end(res, 405, headers);
  });

  // --- CDN 2: resumable upload in Google Cloud Storage's style -------------------------------------------------------
  front.http.register({ method: 'POST', pathPrefix: '/gcs/attachments/', name: 'cdn2Start' }, async (req, res, context) => {
    await context.body();
    const url = new URL(req.url, 'https://front.invalid');
    const key = decodeURIComponent(url.pathname.slice('/gcs/attachments/'.length));
    const upload = uploads.get(key);
    if (!upload || upload.cdn !== 2 || url.searchParams.get('X-Goog-Signature') !== upload.token) return end(res, 403);
    if (req.headers['x-goog-resumable'] !== 'start') return end(res, 400);
    return end(res, 201, { location: `${base()}/gcs-session/${encodeURIComponent(key)}` });
  });
  front.http.register({ method: 'PUT', pathPrefix: '/gcs-session/', name: 'cdn2Put' }, async (req, res) => {
    const key = decodeURIComponent(new URL(req.url, 'https://front.invalid').pathname.slice('/gcs-session/'.length));
    const upload = uploads.get(key);
    if (!upload || upload.cdn !== 2) return end(res, 404);
    const range = String(req.headers['content-range'] ?? '');
    const query = /^bytes \*\/(\d+)$/.exec(range);
    if (query) {
      await drain(req);
      upload.length = Number(query[1]);
      if (upload.received === upload.length) return end(res, 200);
      return end(res, 308, upload.received > 0 ? { range: `bytes=0-${upload.received - 1}` } : {});
    }
    const part = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range);
    const from = part ? Number(part[1]) : 0;
    upload.length = part ? Number(part[3]) : Number(req.headers['content-length']);
    if (from !== upload.received) { await drain(req); return end(res, 400); }
    if (!(await receive(req, upload))) return undefined;
    if (upload.received !== upload.length) return end(res, 308, { range: `bytes=0-${upload.received - 1}` });
    const blob = Buffer.concat(upload.data);
    cdn2Blobs.set(key, blob);
    stats.stored.push({ cdn: 2, key, length: blob.length });
    return end(res, 200);
  });
  front.http.register({ method: 'GET', pathPrefix: '/cdn2/attachments/', name: 'cdn2Get' }, async (req, res) => {
    const key = decodeURIComponent(new URL(req.url, 'https://front.invalid').pathname.slice('/cdn2/attachments/'.length));
    const blob = cdn2Blobs.get(key);
    if (!blob) return end(res, 404);
    res.writeHead(200, { 'content-length': String(blob.length) });
    res.end(blob);
    return undefined;
  });

  // Reads the body into the upload; the one upload to cut stops at that fraction of the blob and loses its connection.
  async function receive(req, upload) {
    const cutAt = settings.cutFraction === null ? Infinity : Math.floor((upload.length ?? 0) * settings.cutFraction);
    for await (const chunk of req) {
      const take = Math.min(chunk.length, Math.max(0, cutAt - upload.received));
      upload.data.push(chunk.subarray(0, take));
      upload.received += take;
      if (upload.received >= cutAt) {
        settings.cutFraction = null;
        stats.cuts++;
        (req.stream ?? req.socket)?.destroy();
        return false;
      }
    }
    return true;
  }

  async function finishIfComplete(key, upload) {
    if (upload.received !== upload.length) return;
    const blob = Buffer.concat(upload.data);
    await server.storeAttachmentOnCdn(3, key, blob);
    stats.stored.push({ cdn: 3, key, length: blob.length });
  }

  return {
    frontUploads: async ({ uploadCdn, cutFraction, tusHeadFails, tusStaleHeads } = {}) => {
      if (uploadCdn !== undefined) settings.uploadCdn = uploadCdn;
      if (cutFraction !== undefined) settings.cutFraction = cutFraction;
      if (tusHeadFails !== undefined) settings.tusHeadFails = tusHeadFails;
      if (tusStaleHeads !== undefined) settings.tusStaleHeads = tusStaleHeads;
      return { ...settings };
    },
    frontMultiRecipient: async ({ refuseTokens } = {}) => {
      if (refuseTokens !== undefined) settings.refuseTokens = refuseTokens;
      return { refuseTokens: settings.refuseTokens };
    },
    frontApiStats: async () => stats,
  };
}

function basic(socket) {
  return socket.username ? `Basic ${Buffer.from(`${socket.username}:${socket.password}`).toString('base64')}` : undefined;
}

function end(res, status, headers = {}) {
  res.writeHead(status, headers);
  res.end();
  return undefined;
}

function drain(req) {
  return new Promise(resolve => { req.on('data', () => {}); req.on('end', resolve); req.on('error', resolve); });
}
