using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Dispatch;
using SignalSharp.JsonRpc.Session;

namespace SignalSharp.JsonRpc;

/// <summary>
/// signal-cli's JSON-RPC in front of one account, or of several in multi-account mode (the daemon started without
/// an account: requests then name theirs in <c>"account"</c>): the method tables, the subscription ids shared by all
/// connections (numbered from 0 as in signal-cli), and connections for any transport.
/// </summary>
public sealed class JsonRpcFrontEnd
{
    private readonly Lock gate = new();
    private IReadOnlyList<ServedAccount> accounts;
    private int nextSubscriptionId = -1;

    public JsonRpcFrontEnd(ISignalAccount account, JsonRpcOptions options, ILogger? logger = null)
        : this([new ServedAccount(account, options)], options, multiAccount: false, null, logger)
    {
    }

    private JsonRpcFrontEnd(IReadOnlyList<ServedAccount> accounts, JsonRpcOptions options, bool multiAccount, IAccountProvisioning? provisioning, ILogger? logger)
    {
        this.accounts = [.. accounts];
        Options = options;
        IsMultiAccount = multiAccount;
        Logger = logger ?? NullLogger.Instance;
        Dispatcher = new JsonRpcDispatcher(new AccountRouter(() => Accounts, options, multiAccount, provisioning), Logger);
    }

    /// <summary>
    /// Multi-account mode: every account in <paramref name="accounts"/> is served (none at first is fine when
    /// <paramref name="provisioning"/> can make them); <paramref name="shared"/> says how connections are served
    /// (receive mode, line limit, version), its account is not used.
    /// </summary>
    public static JsonRpcFrontEnd ForAccounts(IReadOnlyList<ServedAccount> accounts, JsonRpcOptions shared, ILogger? logger = null,
        IAccountProvisioning? provisioning = null) =>
        new(accounts, shared, multiAccount: true, provisioning, logger);

    /// <summary>The accounts served now: exactly one unless <see cref="IsMultiAccount"/>.</summary>
    public IReadOnlyList<ServedAccount> Accounts => Volatile.Read(ref accounts);

    /// <summary>Raised after an account was added; receive subscriptions that follow all accounts start on it.</summary>
    public event Action<ServedAccount>? AccountAdded;

    /// <summary>Serves one more account (multi-account mode: one that was just linked or registered).</summary>
    public void AddAccount(ServedAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (!IsMultiAccount)
        {
            throw new InvalidOperationException("a single-account front end serves exactly one account");
        }

        lock (gate)
        {
            if (accounts.Any(a => a.Number == account.Number))
            {
                throw new InvalidOperationException($"{account.Number} is served already");
            }

            Volatile.Write(ref accounts, [.. accounts, account]);
        }

        AccountAdded?.Invoke(account);
    }

    public bool IsMultiAccount { get; }

    public JsonRpcOptions Options { get; }

    internal JsonRpcDispatcher Dispatcher { get; }

    internal ILogger Logger { get; }

    /// <summary>The served account named <paramref name="number"/>; in single-account mode the one account whatever is named (as signal-cli).</summary>
    public ServedAccount? Find(string? number) =>
        IsMultiAccount ? Accounts.FirstOrDefault(a => a.Number == number) : Accounts[0];

    public JsonRpcConnection CreateConnection(IJsonRpcOutput output) => new(this, output);

    /// <summary>A connection for one HTTP request: its answer goes to <paramref name="output"/>; no subscriptions.</summary>
    public JsonRpcConnection CreateRequestConnection(IJsonRpcOutput output) => new(this, output, streaming: false);

    /// <summary>
    /// Serves one client on a pair of streams (stdio, a TCP or UNIX socket) until its input ends;
    /// <paramref name="alreadyRead"/> is input that was read from <paramref name="input"/> before (to recognise the protocol).
    /// Given the client's <paramref name="socket"/>, a notification counts as delivered only once the socket says the
    /// client can have taken it.
    /// </summary>
    public async Task ServeAsync(Stream input, Stream output, CancellationToken cancellationToken, ReadOnlyMemory<byte> alreadyRead = default,
        bool autoSubscribe = true, System.Net.Sockets.Socket? socket = null)
    {
        using var writer = new StreamOutput(output, socket);
        var connection = new JsonRpcConnection(this, writer, streaming: true, autoSubscribe);
        await using (connection.ConfigureAwait(false))
        {
            await connection.RunAsync(input, cancellationToken, alreadyRead).ConfigureAwait(false);
        }
    }

    internal int NextSubscriptionId() => Interlocked.Increment(ref nextSubscriptionId);
}
