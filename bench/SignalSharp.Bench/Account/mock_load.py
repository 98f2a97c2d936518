#!/usr/bin/env python3
# Load generator for the account layer against Signal's mock server (issue 5 benchmark):
#   send_message round trip (command in -> contact decrypted: the mock answers PUT /v1/messages only after its
#   libsignal decrypted), p50/p99 over SENDS messages; receive throughput (envelopes decrypted, stored, acked)
#   for N queued messages from a contact; daemon RSS after both.
# Needs a built CLI (dotnet build src/SignalSharp.Cli) and interop/node_modules.  Usage: N=5000 SENDS=1000 python3 mock_load.py
import subprocess, json, time, socket, os, tempfile, threading
root=os.path.abspath(os.path.join(os.path.dirname(__file__),'..','..','..'))
cli=[ 'dotnet', root+'/src/SignalSharp.Cli/bin/Debug/net10.0/signal-sharp.dll']
h=subprocess.Popen(['node','mock/harness.mjs','--host','127.0.0.1','--port','0','--contacts','Alice','--timeout-ms','600000'],cwd=root+'/interop',stdin=subprocess.PIPE,stdout=subprocess.PIPE,stderr=subprocess.DEVNULL,text=True,bufsize=1)
ready=json.loads(h.stdout.readline())
pending={}; lock=threading.Lock(); nid=[0]
def reader():
    for line in h.stdout:
        m=json.loads(line)
        if 'id' in m:
            with lock: ev=pending.pop(m['id'],None)
            if ev: ev[1].append(m); ev[0].set()
threading.Thread(target=reader,daemon=True).start()
def send(cmd,**a):
    with lock:
        nid[0]+=1; i=nid[0]; ev=(threading.Event(),[]); pending[i]=ev
    a.update(id=i,cmd=cmd); h.stdin.write(json.dumps(a)+'\n'); h.stdin.flush(); return ev
cfg=tempfile.mkdtemp()
u=ready['urls']
json.dump({'name':'m','chatUrl':u['chat'],'storageUrl':u['storage'],'cdnUrls':{'0':u['cdn0'],'2':u['cdn2'],'3':u['cdn3']},'caCertificatePath':ready['caCertPath'],'trustRoots':[ready['trustRoot']],'serverPublicParams':ready['serverPublicParams']},open(cfg+'/p.json','w'))
lp=subprocess.Popen(cli+['--config',cfg,'link','--server',cfg+'/p.json'],stdout=subprocess.PIPE,stderr=subprocess.DEVNULL,text=True)
uri=lp.stdout.readline().strip()
ev=send('link',provisionUrl=uri); number=lp.stdout.readline().strip(); lp.wait(); ev[0].wait()
d=subprocess.Popen(cli+['--config',cfg,'-a',number,'daemon','--tcp','127.0.0.1:6793'],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
time.sleep(4)
N=int(os.environ.get('N','2000'))
t0=time.time()
base=int(time.time()*1000); evs=[send('sendText',**{'from':'alice','text':'m%d'%i,'sealed':i%2==0,'timestamp':base+i}) for i in range(N)]
for e in evs: e[0].wait()
el=time.time()-t0
print("receive: %d envelopes decrypted+stored+acked in %.2fs = %.0f/s (bounded by the mock's own encryption too)"%(N,el,N/el))
s=socket.create_connection(('127.0.0.1',6793)); f=s.makefile('rwb'); got=0
alice=ready['contacts'][0]['aci']
while got<N:
    f.write(b"{command:'receive_messages',timeout:5000}\n"); f.flush(); r=json.loads(f.readline()); 
    if not r['messages']: break
    got+=len(r['messages'])
print("handed out",got)
S=int(os.environ.get('SENDS','1000')); lat=[]
for i in range(S):
    t=time.perf_counter()
    f.write(("{command:'send_message',recipient:'%s',dataMessage:{message:'bench %d'}}\n"%(alice,i)).encode()); f.flush()
    out=f.readline().decode()
    lat.append((time.perf_counter()-t)*1000)
    assert '"statusCode":0' in out, out
lat.sort()
print("send_message round trip: p50 %.2f ms, p99 %.2f ms over %d"%(lat[S//2],lat[int(S*0.99)],S))
print("daemon RSS KB", open('/proc/%d/status'%d.pid).read().split('VmRSS:')[1].split('\n')[0].strip())
d.terminate(); d.wait(); h.stdin.close(); h.wait()
