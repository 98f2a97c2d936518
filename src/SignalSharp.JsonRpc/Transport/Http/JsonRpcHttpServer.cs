using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SignalSharp.JsonRpc.Transport.Http;

/// <summary>
/// signal-cli's HTTP channel on Kestrel: <c>POST /api/v1/rpc</c>, <c>GET /api/v1/events</c> (SSE) and
/// <c>GET /api/v1/check</c>, with signal-cli's status codes and Host-header pinning. Routing is a single request
/// delegate, so nothing needs reflection or generated endpoint code under NativeAOT.
/// </summary>
public sealed class JsonRpcHttpServer : IAsyncDisposable
{
    private readonly JsonRpcFrontEnd frontEnd;
    private readonly IPEndPoint endPoint;
    private readonly HostHeaderCheck hostCheck;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private WebApplication? app;

    /// <param name="configuredHost">The host as the user named it (Host headers may name it).</param>
    public JsonRpcHttpServer(JsonRpcFrontEnd frontEnd, IPEndPoint endPoint, string configuredHost, ILogger logger)
    {
        this.frontEnd = frontEnd;
        this.endPoint = endPoint;
        this.logger = logger;
        hostCheck = new HostHeaderCheck(configuredHost, endPoint.Address, endPoint.Port);
    }

    /// <summary>The bound address (the real port when 0 was asked for); null before start.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>How often an idle event stream gets a keep-alive comment (signal-cli: 15 s).</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = frontEnd.Options.MaxLineBytes;
            kestrel.Listen(endPoint);
        });
        var web = builder.Build();
        var rpc = new RpcEndpoint(frontEnd);
        var events = new EventStreamEndpoint(frontEnd, KeepAliveInterval, stopping.Token);
        web.Run(context => RouteAsync(context, rpc, events));
        await web.StartAsync(cancellationToken).ConfigureAwait(false);
        app = web;

        var address = web.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        var port = address is not null && Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri.Port : endPoint.Port;
        LocalEndPoint = new IPEndPoint(endPoint.Address, port);
        hostCheck.Port = port;
        TransportLog.Listening(logger, $"http://{LocalEndPoint}");
        if (!IPAddress.IsLoopback(endPoint.Address))
        {
            TransportLog.HttpNotLoopback(logger, LocalEndPoint.ToString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        if (app is not null)
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }

        stopping.Dispose();
    }

    /// <summary>signal-cli's order: an unknown path 404; then the Host check (421), the exact path (404), the method (405).</summary>
    private Task RouteAsync(HttpContext context, RpcEndpoint rpc, EventStreamEndpoint events)
    {
        var path = context.Request.Path.Value ?? "";
        var (route, method) = path switch
        {
            _ when path.StartsWith("/api/v1/rpc", StringComparison.Ordinal) => ("/api/v1/rpc", HttpMethods.Post),
            _ when path.StartsWith("/api/v1/events", StringComparison.Ordinal) => ("/api/v1/events", HttpMethods.Get),
            _ when path.StartsWith("/api/v1/check", StringComparison.Ordinal) => ("/api/v1/check", HttpMethods.Get),
            _ => ("", ""),
        };
        if (route.Length == 0)
        {
            return Status(context, StatusCodes.Status404NotFound);
        }

        if (!hostCheck.Allows(context.Request.Headers.Host.ToString()))
        {
            TransportLog.HostRejected(logger);
            return Status(context, StatusCodes.Status421MisdirectedRequest);
        }

        if (path != route)
        {
            return Status(context, StatusCodes.Status404NotFound);
        }

        if (!string.Equals(context.Request.Method, method, StringComparison.Ordinal))
        {
            return Status(context, StatusCodes.Status405MethodNotAllowed);
        }

        return route switch
        {
            "/api/v1/rpc" => rpc.HandleAsync(context),
            "/api/v1/events" => events.HandleAsync(context),
            // A supervisor's health probe: a stopped account (unlinked, client refused) is not healthy, though the daemon serves on.
            _ => Status(context, frontEnd.Account.Stopped.IsCompleted ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK),
        };
    }

    internal static Task Status(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
