using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SignalSharp.Service.Tests.Attachments;

/// <summary>A plain-HTTP loopback server whose n-th request (from 1) is answered by a test's script.</summary>
internal sealed class ScriptedHttpServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<HttpListenerContext, int, Task> script;
    private readonly Task loop;
    private int count;

    public ScriptedHttpServer(Func<HttpListenerContext, int, Task> script)
    {
        this.script = script;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
        }

        listener.Prefixes.Add(BaseUrl.ToString());
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    public ConcurrentQueue<string> Requests { get; } = new();

    public void Dispose()
    {
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Requests.Enqueue($"{context.Request.HttpMethod} {context.Request.Url?.AbsolutePath}");
            try
            {
                await script(context, Interlocked.Increment(ref count));
                context.Response.Close();
            }
            catch (HttpListenerException)
            {
                // The client went away mid-answer; the test sees that from its side.
            }
            catch (ObjectDisposedException)
            {
                // The script answered and closed (or cut) the response itself.
            }
        }
    }
}
