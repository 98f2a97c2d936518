using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Google.Protobuf;
using SignalSharp.Service.Proto;

namespace SignalSharp.Service.Tests.Support;

/// <summary>
/// The server end of an in-process WebSocket pair (plain TCP on loopback), for driving the framing layer with
/// exactly the frames a test wants, including broken ones the mock server would never send.
/// </summary>
internal sealed class FakeWebSocketPeer : IAsyncDisposable
{
    private readonly TcpClient serverTcp;
    private readonly TcpClient clientTcp;

    private FakeWebSocketPeer(TcpClient serverTcp, TcpClient clientTcp, WebSocket server, WebSocket client)
    {
        this.serverTcp = serverTcp;
        this.clientTcp = clientTcp;
        Server = server;
        Client = client;
    }

    public WebSocket Server { get; }

    /// <summary>The client end, to hand to the code under test.</summary>
    public WebSocket Client { get; }

    public static async Task<FakeWebSocketPeer> CreateAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var clientTcp = new TcpClient();
        var connecting = clientTcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var serverTcp = await listener.AcceptTcpClientAsync();
        await connecting;
        var server = WebSocket.CreateFromStream(serverTcp.GetStream(), new WebSocketCreationOptions { IsServer = true });
        var client = WebSocket.CreateFromStream(clientTcp.GetStream(), new WebSocketCreationOptions { IsServer = false });
        return new FakeWebSocketPeer(serverTcp, clientTcp, server, client);
    }

    public Task SendRawAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Binary) =>
        Server.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);

    public Task SendAsync(WebSocketMessage message) => SendRawAsync(message.ToByteArray());

    public Task SendRequestAsync(ulong? id, string verb, string path, byte[]? body = null)
    {
        var request = new WebSocketRequestMessage { Verb = verb, Path = path };
        if (id is { } value)
        {
            request.Id = value;
        }

        if (body is not null)
        {
            request.Body = ByteString.CopyFrom(body);
        }

        return SendAsync(new WebSocketMessage { Type = WebSocketMessage.Types.Type.Request, Request = request });
    }

    public Task SendResponseAsync(ulong id, int status, string? body = null)
    {
        var response = new WebSocketResponseMessage { Id = id, Status = (uint)status, Message = "OK" };
        response.Headers.Add("X-Signal-Timestamp:1");
        if (body is not null)
        {
            response.Body = ByteString.CopyFromUtf8(body);
        }

        return SendAsync(new WebSocketMessage { Type = WebSocketMessage.Types.Type.Response, Response = response });
    }

    /// <summary>The next message the client sent, with a deadline so a broken test fails instead of hanging.</summary>
    public async Task<WebSocketMessage> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        var total = 0;
        while (true)
        {
            var result = await Server.ReceiveAsync(buffer.AsMemory(total), deadline.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("client closed the socket");
            }

            total += result.Count;
            if (result.EndOfMessage)
            {
                return WebSocketMessage.Parser.ParseFrom(buffer, 0, total);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Server.Abort();
        Client.Abort();
        Server.Dispose();
        Client.Dispose();
        serverTcp.Dispose();
        clientTcp.Dispose();
        await Task.CompletedTask;
    }
}
