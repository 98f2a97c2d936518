using Microsoft.AspNetCore.Http;
using SignalSharp.JsonRpc.Transport.Http;

namespace SignalSharp.JsonRpc.Tests.Transport;

/// <summary>
/// An SSE stream whose client has gone must not take events: Kestrel drops writes to an aborted response without an
/// error, and an event counted as written there would be lost instead of going to the next subscriber.
/// </summary>
public sealed class EventStreamOutputTests
{
    [Fact]
    public async Task An_event_is_written_while_the_client_is_there_and_refused_once_it_has_gone()
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        using var gone = new CancellationTokenSource();
        using var output = new EventStreamOutput(context.Response, gone.Token);

        await output.WriteAsync("event:receive\ndata:{}\n\n"u8.ToArray(), CancellationToken.None);
        Assert.Equal("event:receive\ndata:{}\n\n"u8.ToArray(), body.ToArray());

        await gone.CancelAsync();
        await Assert.ThrowsAsync<IOException>(() => output.WriteAsync("event:receive\ndata:{}\n\n"u8.ToArray(), CancellationToken.None));
    }
}
