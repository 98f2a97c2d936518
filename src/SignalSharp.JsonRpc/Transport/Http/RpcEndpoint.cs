using Microsoft.AspNetCore.Http;

namespace SignalSharp.JsonRpc.Transport.Http;

/// <summary>
/// <c>POST /api/v1/rpc</c>: the body is one request or a batch; the answer is 200 with JSON, or 201 with an empty
/// body when nothing is answered (only notifications). A body that is not <c>application/json*</c> is 415.
/// </summary>
internal sealed class RpcEndpoint(JsonRpcFrontEnd frontEnd)
{
    public async Task HandleAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        if (contentType is null || !contentType.StartsWith("application/json", StringComparison.Ordinal))
        {
            await JsonRpcHttpServer.Status(context, StatusCodes.Status415UnsupportedMediaType).ConfigureAwait(false);
            return;
        }

        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            body = buffer.ToArray();
        }

        var output = new HttpResponseOutput(context.Response);
        var connection = frontEnd.CreateRequestConnection(output);
        await using (connection.ConfigureAwait(false))
        {
            await connection.ProcessLineAsync(body, context.RequestAborted).ConfigureAwait(false);
        }

        if (!output.Written)
        {
            await JsonRpcHttpServer.Status(context, StatusCodes.Status201Created).ConfigureAwait(false);
        }
    }
}
