#!/usr/bin/env python3
# Attachment benchmark for issue 6: a 30 MiB attachment sent and received through the daemon (its own process)
# against Signal's mock server. Reports, per direction, the time and the daemon's peak RSS (VmHWM, reset between
# phases through /proc/PID/clear_refs), plus the daemon's idle RSS. For reference, in the same run: how long node
# (the mock contact: libsignal + node crypto) takes to encrypt+store and to download+decrypt the same size.
# Needs a built CLI (dotnet build [-c Release] src/SignalSharp.Cli) and interop/node_modules.
# Usage: [CONFIG=Release] [ROUNDS=3] [MIB=30] python3 attachment_bench.py
import base64, hashlib, json, os, socket, statistics, subprocess, tempfile, threading, time
root = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
config = os.environ.get('CONFIG', 'Debug')
cli = ['dotnet', f'{root}/src/SignalSharp.Cli/bin/{config}/net10.0/signal-sharp.dll']
rounds = int(os.environ.get('ROUNDS', '3'))
size = int(os.environ.get('MIB', '30')) * 1024 * 1024

h = subprocess.Popen(['node', 'mock/harness.mjs', '--host', '127.0.0.1', '--port', '0', '--contacts', 'Alice', '--timeout-ms', '600000'],
                     cwd=root + '/interop', stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
ready = json.loads(h.stdout.readline())
pending, lock, nid = {}, threading.Lock(), [0]
def reader():
    for line in h.stdout:
        m = json.loads(line)
        if 'id' in m:
            with lock: ev = pending.pop(m['id'], None)
            if ev: ev[1].append(m); ev[0].set()
threading.Thread(target=reader, daemon=True).start()
def start(cmd, **a):
    with lock:
        nid[0] += 1; i = nid[0]; ev = (threading.Event(), []); pending[i] = ev
    a.update(id=i, cmd=cmd); h.stdin.write(json.dumps(a) + '\n'); h.stdin.flush(); return ev
def call(cmd, **a):
    ev = start(cmd, **a); ev[0].wait(); r = ev[1][0]
    if not r['ok']: raise RuntimeError(r['error'])
    return r['result']

cfg = tempfile.mkdtemp()
u = ready['urls']
json.dump({'name': 'm', 'chatUrl': u['chat'], 'storageUrl': u['storage'], 'cdnUrls': {'0': u['cdn0'], '2': u['cdn2'], '3': u['cdn3']},
           'caCertificatePath': ready['caCertPath'], 'trustRoots': [ready['trustRoot']], 'serverPublicParams': ready['serverPublicParams']},
          open(cfg + '/p.json', 'w'))
lp = subprocess.Popen(cli + ['--config', cfg, 'link', '--server', cfg + '/p.json'], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
uri = lp.stdout.readline().strip()
ev = start('link', provisionUrl=uri); number = lp.stdout.readline().strip(); lp.wait(); ev[0].wait()
probe = socket.socket(); probe.bind(('127.0.0.1', 0)); port = probe.getsockname()[1]; probe.close()
d = subprocess.Popen(cli + ['--config', cfg, '-a', number, 'daemon', '--tcp', f'127.0.0.1:{port}'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
import atexit
# No daemon or harness outlives the script, however it ends.
atexit.register(lambda: (d.poll() is None and d.kill(), h.poll() is None and h.kill()))
def status(key):
    return int(open(f'/proc/{d.pid}/status').read().split(key + ':')[1].split('kB')[0].strip()) // 1024
def reset_peak():
    with open(f'/proc/{d.pid}/clear_refs', 'w') as f: f.write('5')
for _ in range(200):
    try:
        s = socket.create_connection(('127.0.0.1', port)); break
    except OSError: time.sleep(0.1)
f = s.makefile('rwb')
def command(line):
    f.write(line if isinstance(line, bytes) else line.encode()); f.write(b'\n'); f.flush()
    return json.loads(f.readline())
alice = ready['contacts'][0]
while command("{command:'send_message',recipient:'%s',dataMessage:{message:'warm up'}}" % alice['number'])['statusCode'] != 0:
    time.sleep(0.2)
call('waitForMessage', at='alice')
time.sleep(1)
print(f"daemon ({config}) idle RSS after link + contact sync: {status('VmRSS')} MiB")

# Attribution: the same 30 MiB command to a valid but unknown number is framed, parsed and base64-decoded by the
# daemon, then refused (INVALID_NUMBER) before any upload: the daemon's own share of the send peak.
data = os.urandom(size)
reset_peak()
res = command(('{"command":"send_message","recipient":"+4366400000009","dataMessage":{"attachments":[{"base64Data":"%s","filename":"x"}]}}'
               % base64.b64encode(data).decode()).encode())
assert res['statusCode'] == 2, res
print(f"daemon framing+parsing+decoding a {size >> 20} MiB send_message (refused before upload): peak RSS {status('VmHWM')} MiB")

out = tempfile.mkdtemp()
send_ms, send_total_ms, send_peak, node_open_ms = [], [], [], []
recv_ms, recv_peak, node_send_ms = [], [], []
for r in range(rounds):
    data = os.urandom(size)
    line = ('{"command":"send_message","recipient":"%s","dataMessage":{"attachments":[{"base64Data":"%s","filename":"big.bin"}]}}'
            % (alice['number'], base64.b64encode(data).decode())).encode()
    reset_peak()
    t0 = time.perf_counter()
    res = command(line)
    t1 = time.perf_counter()
    assert res['statusCode'] == 0, res
    msg = call('waitForAttachmentMessage', at='alice', outDir=out)
    t2 = time.perf_counter()
    a = msg['attachments'][0]
    assert a.get('error') is None and a['sha256'] == hashlib.sha256(data).hexdigest(), a
    send_ms.append((t1 - t0) * 1000); send_total_ms.append((t2 - t0) * 1000); send_peak.append(status('VmHWM'))
    node_open_ms.append((t2 - t1) * 1000)
    os.remove(a['path'])

    path = os.path.join(out, 'in.bin')
    incoming = os.urandom(size)
    open(path, 'wb').write(incoming)
    reset_peak()
    t0 = time.perf_counter()
    call('sendAttachment', **{'from': 'alice', 'attachments': [{'plaintextPath': path, 'fileName': 'in.bin'}]})
    t1 = time.perf_counter()
    res = command("{command:'receive_messages',timeout:60000}")
    t2 = time.perf_counter()
    got = base64.b64decode(res['messages'][0]['attachments'][0]['base64Data'])
    assert got == incoming
    recv_ms.append((t2 - t0) * 1000); recv_peak.append(status('VmHWM')); node_send_ms.append((t1 - t0) * 1000)

med = statistics.median
print(f"send {size >> 20} MiB: send_message answered in {med(send_ms):.0f} ms (median of {rounds}; {', '.join('%.0f' % x for x in send_ms)}),"
      f" until the contact decrypted it {med(send_total_ms):.0f} ms; daemon peak RSS {max(send_peak)} MiB")
print(f"receive {size >> 20} MiB: contact send -> receive_messages answer with the bytes {med(recv_ms):.0f} ms (median; {', '.join('%.0f' % x for x in recv_ms)});"
      f" daemon peak RSS {max(recv_peak)} MiB")
print(f"reference (node, same run): contact download+verify+decrypt of our upload {med(node_open_ms):.0f} ms;"
      f" contact encrypt+store+send (until our ack) {med(node_send_ms):.0f} ms")
print(f"daemon RSS at the end: {status('VmRSS')} MiB")
d.terminate(); d.wait(); h.stdin.close(); h.wait()
