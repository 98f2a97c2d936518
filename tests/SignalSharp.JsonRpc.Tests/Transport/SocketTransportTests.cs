using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Tests.Support;
using SignalSharp.JsonRpc.Transport;

namespace SignalSharp.JsonRpc.Tests.Transport;

/// <summary>The strict client's contract over TCP and the UNIX socket.</summary>
public sealed class SocketTransportTests
{
    [Fact]
    public async Task Over_tcp_a_strict_client_sends_subscribes_receives_and_unsubscribes()
    {
        var fake = new FakeAccount();
        var frontEnd = new JsonRpcFrontEnd(fake, new JsonRpcOptions(Harness.Account, ReceiveMode.Manual));
        await using var listener = new JsonRpcSocketListener(frontEnd, new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
        listener.Start();

        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(listener.LocalEndPoint!);
        await using var client = new StrictClient(new NetworkStream(socket, ownsSocket: true));
        await RoundTripAsync(client, fake);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Over_a_unix_socket_the_same_and_the_socket_is_owner_only()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"jsonrpc-{Guid.NewGuid():N}", "run");
        var path = Path.Combine(folder, "socket");
        try
        {
            var fake = new FakeAccount();
            var frontEnd = new JsonRpcFrontEnd(fake, new JsonRpcOptions(Harness.Account, ReceiveMode.Manual));
            await using (var listener = new JsonRpcSocketListener(frontEnd, new UnixDomainSocketEndPoint(path), NullLogger.Instance))
            {
                listener.Start();
                Assert.Equal(UnixSocketPath.DirectoryMode, File.GetUnixFileMode(folder));
                Assert.Equal(UnixSocketPath.SocketMode, File.GetUnixFileMode(path));

                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
                await using var client = new StrictClient(new NetworkStream(socket, ownsSocket: true));
                await RoundTripAsync(client, fake);
            }

            Assert.False(File.Exists(path), "the socket file is removed on stop");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    private static async Task RoundTripAsync(StrictClient client, FakeAccount fake)
    {
        Assert.Equal("0.13.19", (string)(await client.CallAsync("version"))!["version"]!);

        var sent = await client.CallAsync("send", new JsonObject { ["account"] = null, ["recipient"] = new JsonArray(FakeAccount.KnownNumber), ["message"] = "hi", ["attachment"] = null });
        Assert.Equal("SUCCESS", (string)sent!["results"]![0]!["type"]!);
        Assert.Single(fake.SentMessages);

        var subscription = await client.SubscribeAsync();
        fake.Deliver(new ReceivedMessage(42, FakeAccount.KnownNumber, "echo", []));
        var result = await client.NextReceiveAsync(subscription);
        Assert.Equal("echo", (string)result["envelope"]!["dataMessage"]!["message"]!);
        Assert.Equal(Harness.Account, (string)result["account"]!);

        await client.UnsubscribeAsync(subscription);
        var error = await Assert.ThrowsAsync<RpcError>(() => client.UnsubscribeAsync(subscription));
        Assert.Equal(-1, error.Code);
    }
}
