using SignalSharp.Account.Api;
using SignalSharp.Store.Errors;

namespace SignalSharp.Account;

/// <summary>The one place where a database that cannot be used becomes the account's own failure.</summary>
internal static class StoreGuard
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (StoreFaults.IsUnavailable(e))
        {
            throw new StoreUnavailableException(StoreFaults.Describe(e), e);
        }
    }
}
