using SignalSharp.JsonRpc.Tests.Support;

namespace SignalSharp.JsonRpc.Tests.Methods;

public sealed class InfoTests
{
    [Fact]
    public async Task ListAccounts_lists_the_served_account()
    {
        await using var harness = new Harness();
        Assert.Equal(
            """{"jsonrpc":"2.0","result":[{"number":"+4366411111111"}],"id":1}""",
            await harness.AskAsync("""{"jsonrpc":"2.0","method":"listAccounts","id":1}"""));
    }
}
