using Microsoft.AspNetCore.Http;
using SignalSharp.JsonRpc.Session;

namespace SignalSharp.JsonRpc.Transport.Http;

/// <summary>
/// The one answer of an HTTP JSON-RPC request: 200 with the JSON body (without the line's terminator), completed on
/// the wire before the write returns, so that received items it carries are confirmed only once sent.
/// </summary>
internal sealed class HttpResponseOutput(HttpResponse response) : IJsonRpcOutput
{
    public bool Written { get; private set; }

    public async Task WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        Written = true;
        var body = lines.Span.EndsWith("\n"u8) ? lines[..^1] : lines;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await response.CompleteAsync().ConfigureAwait(false);
    }
}
