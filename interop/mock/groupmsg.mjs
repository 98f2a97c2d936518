// Group messaging commands for harness.mjs (merged into its command table), on top of groups.mjs's groups.
//   routeGroupMessages {names=[...]} → true: from now on the named primaries put every data message that carries a
//     GroupContextV2 into a group queue of their own (read with waitForGroupMessage) instead of their message queue,
//     so a 1:1 echo loop (waitForMessage) and a group reader never take each other's messages.
//   waitForGroupMessage {at, timeoutMs?} → {source, envelopeType, body, timestamp, group: {masterKey, revision,
//     groupId, groupChange (base64 or null)} | null, reaction: {emoji, remove, targetAuthorAci, targetSentTimestamp} | null}: the next group
//     message `at` decrypted (routes `at` first if needed).
//   sendGroupSenderKeyText {from, group, to='linked', text, timestamp?} → {timestamp, distributionId}: a member sends
//     a group text the way Signal's clients do: its sender key once per (member, group, target) as a
//     SenderKeyDistributionMessage, then the text as a sender-key message sealed (v2) with the group id in the USMC.
//   groupQueueSize {at} → number of group messages waiting.
//   reinstallDevice {name} → {registrationId}: the primary `name` behaves as if its app were reinstalled, as far as
//     senders can tell: a new registration id (the server answers 410 to messages for the old one) and every sender
//     key it had received forgotten (so a sender must distribute its key again). Identity and pre-keys are kept.
//   setRegistered {name, registered} → true: the primary's ACI unregistered (sends to it answer 404) or registered again.
import { createRequire } from 'node:module';
import { groups } from './groups.mjs';

const require = createRequire(import.meta.url);
const { ServiceIdKind } = require('@signalapp/mock-server');
const { SenderKeyDistributionMessage } = require('@signalapp/libsignal-client');

const b64 = bytes => (bytes == null ? null : Buffer.from(bytes).toString('base64'));

// A first-in first-out queue whose shift waits for the next push when empty (also used by resend.mjs).
export class Queue {
  entries = [];
  waiters = [];
  push(value) {
    const waiter = this.waiters.shift();
    if (waiter) waiter(value);
    else this.entries.push(value);
  }
  shift() {
    if (this.entries.length > 0) return Promise.resolve(this.entries.shift());
    return new Promise(resolve => this.waiters.push(resolve));
  }
}

export default function groupMessagingCommands({ server, primary, target, withTimeout, timeoutMs }) {
  const queues = new Map();
  const distributions = new Map();

  const route = name => {
    const device = primary(name);
    if (queues.has(device)) return queues.get(device);
    const queue = new Queue();
    queues.set(device, queue);
    const original = device.handleDataMessage.bind(device);
    device.handleDataMessage = (source, serviceIdKind, envelopeType, content, dataMessage) => {
      if (dataMessage?.groupV2?.masterKey?.length) {
        queue.push({ source, envelopeType, dataMessage });
      } else {
        original(source, serviceIdKind, envelopeType, content, dataMessage);
      }
    };
    return queue;
  };

  const groupOf = id => {
    const found = groups.get(String(id));
    if (!found) throw new Error(`unknown group "${id}"`);
    return found;
  };

  const idOfMasterKey = masterKey => {
    for (const group of groups.values()) {
      if (Buffer.from(group.masterKey).equals(Buffer.from(masterKey))) return group.id;
    }
    return null;
  };

  return {
    routeGroupMessages: async ({ names = [] }) => {
      for (const name of names) route(name);
      return true;
    },

    groupQueueSize: async ({ at }) => route(at).entries.length,

    waitForGroupMessage: async ({ at = 'alice', timeoutMs: ms = timeoutMs }) => {
      const { source, envelopeType, dataMessage } = await withTimeout(route(at).shift(), ms, `a group message at ${at}`);
      const context = dataMessage.groupV2;
      const reaction = dataMessage.reaction;
      return {
        source: { aci: source?.aci ?? null, deviceId: source?.deviceId ?? null },
        envelopeType,
        body: dataMessage.body ?? null,
        attachments: (dataMessage.attachments ?? []).map(a => ({ fileName: a.fileName ?? null, size: a.size ?? null, cdnKey: a.cdnKey ?? null })),
        timestamp: dataMessage.timestamp == null ? null : String(dataMessage.timestamp),
        group: context ? { masterKey: b64(context.masterKey), revision: context.revision ?? 0, groupId: idOfMasterKey(context.masterKey), groupChange: context.groupChange?.length ? b64(context.groupChange) : null } : null,
        reaction: reaction ? {
          emoji: reaction.emoji ?? null,
          remove: !!reaction.remove,
          targetAuthorAci: reaction.targetAuthorAci ?? null,
          targetSentTimestamp: reaction.targetSentTimestamp == null ? null : String(reaction.targetSentTimestamp),
        } : null,
      };
    },

    setRegistered: async ({ name, registered }) => {
      if (registered) server.register(primary(name));
      else server.unregister(primary(name));
      return true;
    },

    reinstallDevice: async ({ name }) => {
      const device = primary(name);
      const old = device.device.registrationId;
      let next = old;
      while (next === old) next = 1 + (crypto.getRandomValues(new Uint16Array(1))[0] % 16380);
      device.device.registrationId = next;
      for (const store of device.senderKeys.values()) store.keys.clear();
      return { registrationId: next };
    },

    sendGroupSenderKeyText: async ({ from = 'alice', group, to = 'linked', text, timestamp = Date.now() }) => {
      if (typeof text !== 'string') throw new Error('sendGroupSenderKeyText needs text');
      const sender = primary(from);
      const recipient = target(to);
      const found = groupOf(group);
      const key = `${from}|${found.id}|${to}`;
      let distributionId = distributions.get(key);
      if (!distributionId) {
        // The mock's own sendSenderKey does not await its SKDM send, which could then race the text; this awaits
        // the SKDM (1:1, acked by the target) before the first sender-key message.
        // The mock's encrypt() keys its own sender key by the *target's* address (as its sendSenderKey does), so
        // the key is created under that address too.
        distributionId = crypto.randomUUID();
        const skdm = await SenderKeyDistributionMessage.create(recipient.address, distributionId, sender.senderKeys.get(ServiceIdKind.ACI));
        await sender.sendRaw(recipient, { content: null, pniSignatureMessage: null, senderKeyDistributionMessage: skdm.serialize() },
          { timestamp: timestamp - 1 });
        distributions.set(key, distributionId);
      }
      await sender.sendText(recipient, text, { timestamp, sealed: true, distributionId, group: found, withProfileKey: true });
      return { timestamp, distributionId };
    },
  };
}
