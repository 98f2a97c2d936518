using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using SignalSharp.JsonRpc.Session;
using SignalSharp.JsonRpc.Transport.Http;

namespace SignalSharp.JsonRpc.Tests.Transport;

/// <summary>
/// A write into a TCP connection whose client has just closed succeeds: the bytes wait in our kernel, and the
/// client's kernel answers them with a reset. Before the front end notices (Kestrel for SSE, the next read for a
/// JSON-RPC socket), the output must say the client did not take them, or received messages would be lost.
/// </summary>
public sealed class PeerLeftOutputTests
{
    private static readonly byte[] Event = "event:receive\ndata:{}\n\n"u8.ToArray();

    [Fact]
    public async Task A_json_rpc_socket_output_says_whether_the_client_took_a_write()
    {
        var (server, client) = await ConnectedPairAsync();
        using (server)
        {
            using var stream = new NetworkStream(server, ownsSocket: false);
            using var output = new StreamOutput(stream, server);

            await output.WriteAsync(Event, CancellationToken.None);
            Assert.True(await output.TakenAsync(CancellationToken.None));

            await ReadAsync(client, Event.Length);
            client.Dispose();
            await WaitForEndOfInputAsync(server);
            await output.WriteAsync(Event, CancellationToken.None);
            Assert.False(await output.TakenAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task An_event_stream_output_says_whether_the_client_took_an_event_before_kestrel_notices_it_left()
    {
        var (server, client) = await ConnectedPairAsync();
        using (server)
        {
            var context = new DefaultHttpContext();
            using var stream = new NetworkStream(server, ownsSocket: false);
            context.Response.Body = stream;
            using var output = new EventStreamOutput(context.Response, CancellationToken.None, server);

            await output.WriteAsync(Event, CancellationToken.None);
            Assert.True(await output.TakenAsync(CancellationToken.None));

            // The client read the event and closes; RequestAborted (here never cancelled) has not fired yet.
            await ReadAsync(client, Event.Length);
            client.Dispose();
            await WaitForEndOfInputAsync(server);
            await output.WriteAsync(Event, CancellationToken.None);
            Assert.False(await output.TakenAsync(CancellationToken.None));
        }
    }

    private static async Task<(Socket Server, Socket Client)> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        return (await listener.AcceptAsync(), client);
    }

    // A client that closes with unread bytes resets at once; one that read everything ends with a FIN.
    private static async Task ReadAsync(Socket client, int count)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            read += await client.ReceiveAsync(buffer.AsMemory(read));
        }
    }

    // The client's FIN has arrived: readable with nothing to read.
    private static async Task WaitForEndOfInputAsync(Socket server)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!(server.Poll(0, SelectMode.SelectRead) && server.Available == 0))
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
