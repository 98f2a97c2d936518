using Microsoft.Extensions.Logging;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Protocol;
using SignalSharp.JsonRpc.Session;

namespace SignalSharp.JsonRpc.Dispatch;

/// <summary>
/// Answers input lines: parses them, runs each request's method (a batch's concurrently), and maps every failure
/// to signal-cli's error object. A request without an id is run and not answered.
/// </summary>
internal sealed class JsonRpcDispatcher(AccountRouter router, ILogger logger)
{
    public async Task<DispatchOutcome> HandleLineAsync(ReadOnlyMemory<byte> line, JsonRpcConnection connection, CancellationToken cancellationToken)
    {
        switch (JsonRpcMessageParser.ParseLine(line.Span))
        {
            case SingleRequestLine single:
                var answer = await HandleRequestAsync(single.Request, connection, cancellationToken).ConfigureAwait(false);
                return answer is null
                    ? DispatchOutcome.Nothing
                    : new DispatchOutcome(JsonRpcWriter.Response(answer.Value.Response), answer.Value.Lease is { } lease ? [lease] : []);
            case BatchLine batch:
                return await HandleBatchAsync(batch, connection, cancellationToken).ConfigureAwait(false);
            case RejectedLine rejected:
                return new DispatchOutcome(JsonRpcWriter.Response(JsonRpcResponse.Failure(rejected.Id, rejected.Error)), []);
            default:
                return DispatchOutcome.Nothing;
        }
    }

    private async Task<DispatchOutcome> HandleBatchAsync(BatchLine batch, JsonRpcConnection connection, CancellationToken cancellationToken)
    {
        var pending = new List<Task<(JsonRpcResponse Response, ReceivedBatch? Lease)?>>(batch.Elements.Count);
        foreach (var element in batch.Elements)
        {
            JsonRpcRequest request;
            try
            {
                request = JsonRpcMessageParser.ParseRequest(element);
            }
            catch (JsonRpcException e)
            {
                var (_, id) = JsonRpcMessageParser.IdOf(element);
                pending.Add(Task.FromResult<(JsonRpcResponse, ReceivedBatch?)?>((JsonRpcResponse.Failure(id, e.Error), null)));
                continue;
            }

            pending.Add(Task.Run(() => HandleRequestAsync(request, connection, cancellationToken), cancellationToken));
        }

        var answers = await Task.WhenAll(pending).ConfigureAwait(false);
        var responses = answers.Where(a => a is not null).Select(a => a!.Value).ToList();
        return responses.Count == 0
            ? DispatchOutcome.Nothing
            : new DispatchOutcome(
                JsonRpcWriter.Batch([.. responses.Select(r => r.Response)]),
                [.. responses.Where(r => r.Lease is not null).Select(r => r.Lease!)]);
    }

    /// <summary>Runs one request; null when it has no id (nothing is answered, and its lease, if any, is put back).</summary>
    private async Task<(JsonRpcResponse Response, ReceivedBatch? Lease)?> HandleRequestAsync(
        JsonRpcRequest request, JsonRpcConnection connection, CancellationToken cancellationToken)
    {
        JsonRpcResponse response;
        ReceivedBatch? lease = null;
        try
        {
            var result = await InvokeAsync(request, connection, cancellationToken).ConfigureAwait(false);
            response = JsonRpcResponse.Success(request.Id, result.Value);
            lease = result.Lease;
        }
        catch (JsonRpcException e)
        {
            response = JsonRpcResponse.Failure(request.Id, e.Error);
        }
        catch (AccountException e)
        {
            response = JsonRpcResponse.Failure(request.Id, AccountErrorMapping.ToError(e));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            DispatchLog.MethodFailed(logger, request.Method, e.GetType().Name);
            response = JsonRpcResponse.Failure(request.Id, new JsonRpcError(JsonRpcErrorCodes.InternalError, e.Message));
        }

        if (!request.HasId)
        {
            if (lease is not null)
            {
                await lease.DisposeAsync().ConfigureAwait(false);
            }

            return null;
        }

        return (response, lease);
    }

    private Task<MethodResult> InvokeAsync(JsonRpcRequest request, JsonRpcConnection connection, CancellationToken cancellationToken)
    {
        var call = router.Route(request, new JsonRpcParams(request.Params), connection, cancellationToken, out var method);
        return method(call);
    }
}
