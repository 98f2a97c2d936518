using System.Text;
using SignalSharp.JsonRpc.Session;

namespace SignalSharp.JsonRpc.Tests.Support;

/// <summary>A front end over the fake account and one connection whose output is recorded.</summary>
internal sealed class Harness : IAsyncDisposable
{
    public const string Account = "+4366411111111";

    public Harness(ReceiveMode mode = ReceiveMode.Manual, string? attachmentDirectory = null)
    {
        FrontEnd = new JsonRpcFrontEnd(Fake, new JsonRpcOptions(Account, mode)
        {
            SubscriptionPollTimeout = TimeSpan.FromSeconds(5),
            AttachmentDirectory = attachmentDirectory,
        });
        Connection = FrontEnd.CreateConnection(Output);
    }

    public FakeAccount Fake { get; } = new();

    public RecordingOutput Output { get; } = new();

    public JsonRpcFrontEnd FrontEnd { get; }

    public JsonRpcConnection Connection { get; }

    /// <summary>Sends one line and returns what was answered, or null when nothing was.</summary>
    public async Task<string?> AskAsync(string line)
    {
        await Connection.ProcessLineAsync(Encoding.UTF8.GetBytes(line), CancellationToken.None);
        return Output.TryTake(out var answer) ? answer : null;
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
