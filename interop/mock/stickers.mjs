// Sticker pack commands for harness.mjs (merged into its command table): a pack sealed the way Signal's sticker
// creator seals it (HKDF-SHA256 of the pack key, no salt, info "Sticker Pack", 64 bytes: AES-256-CBC key ‖ HMAC-SHA256
// key; each file iv ‖ ciphertext ‖ mac), its manifest encoded with Signal's own protos, served by the mock's sticker
// CDN routes (GET /stickers/:pack/manifest.proto and /stickers/:pack/full/:sticker).
//   storeStickerPack {title?, author?, coverId?, stickers: [{emoji?, dataBase64}], packKeyHex?} → {packId, packKey, link,
//     stickers: [{id, emoji, sha256}]}: sticker ids are the list's positions; ids and keys are hex.
//   waitForStickerMessage {at, timeoutMs?} → {source, body, timestamp, sticker {packId, packKey, stickerId, emoji} (hex),
//     image {contentType, size, sha256, base64 (≤ 4 KiB)} or {error}}: the next message a mock primary decrypted,
//     its sticker image fetched from the CDN the pointer names and verified.
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import { openPointer } from './attachments.mjs';

const require = createRequire(import.meta.url);
const { Proto } = require('@signalapp/mock-server');

const seal = (plaintext, packKey) => {
  const keys = Buffer.from(crypto.hkdfSync('sha256', packKey, Buffer.alloc(0), Buffer.from('Sticker Pack'), 64));
  const iv = crypto.randomBytes(16);
  const cipher = crypto.createCipheriv('aes-256-cbc', keys.subarray(0, 32), iv);
  const body = Buffer.concat([iv, cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([body, crypto.createHmac('sha256', keys.subarray(32)).update(body).digest()]);
};

const hex = bytes => (bytes == null ? null : Buffer.from(bytes).toString('hex'));
const sha256 = bytes => crypto.createHash('sha256').update(bytes).digest('hex');

export default function stickerCommands({ server, primary, origin, caCertPath, withTimeout, timeoutMs }) {
  return {
    storeStickerPack: async ({ title = 'Pack', author = 'Someone', coverId = 0, stickers, packKeyHex = null }) => {
      if (!Array.isArray(stickers) || stickers.length === 0) throw new Error('storeStickerPack needs stickers: [{emoji?, dataBase64}]');
      const id = crypto.randomBytes(16);
      const packKey = packKeyHex ? Buffer.from(packKeyHex, 'hex') : crypto.randomBytes(32);
      const images = stickers.map(s => Buffer.from(s.dataBase64 ?? '', 'base64'));
      const entries = stickers.map((s, i) => ({ id: i, emoji: s.emoji ?? null }));
      const manifest = Proto.StickerPack.encode({ title, author, cover: entries[coverId] ?? null, stickers: entries });
      await server.storeStickerPack({ id, manifest: seal(Buffer.from(manifest), packKey), stickers: images.map(image => seal(image, packKey)) });
      return {
        packId: hex(id),
        packKey: hex(packKey),
        link: `https://signal.art/addstickers/#pack_id=${hex(id)}&pack_key=${hex(packKey)}`,
        stickers: entries.map((e, i) => ({ id: e.id, emoji: e.emoji, sha256: sha256(images[i]) })),
      };
    },

    waitForStickerMessage: async ({ at = 'alice', timeoutMs: ms = timeoutMs }) => {
      const entry = await withTimeout(primary(at).waitForMessage(), ms, `a message at ${at}`);
      const sticker = entry.dataMessage?.sticker ?? null;
      let image = null;
      if (sticker?.data) {
        try {
          const plaintext = await openPointer(sticker.data, origin, caCertPath);
          image = {
            contentType: sticker.data.contentType ?? null,
            size: sticker.data.size ?? 0,
            sha256: sha256(plaintext),
            base64: plaintext.length <= 4096 ? plaintext.toString('base64') : null,
          };
        } catch (error) {
          image = { error: String(error?.message ?? error) };
        }
      }
      return {
        source: { aci: entry.source.aci, deviceId: entry.source.deviceId },
        body: entry.body,
        timestamp: entry.dataMessage?.timestamp == null ? null : String(entry.dataMessage.timestamp),
        sticker: sticker ? { packId: hex(sticker.packId), packKey: hex(sticker.packKey), stickerId: sticker.stickerId ?? null, emoji: sticker.emoji ?? null } : null,
        image,
      };
    },
  };
}
