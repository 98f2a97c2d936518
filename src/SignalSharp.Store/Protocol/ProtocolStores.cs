using SignalSharp.Store.Schema;

namespace SignalSharp.Store.Protocol;

/// <summary>The six protocol stores for one account identity, all bound to the same database or transaction.</summary>
public sealed class ProtocolStores
{
    internal ProtocolStores(StoreScope scope, AccountIdentity identity, TrustNewIdentities trust)
    {
        Identity = identity;
        IdentityKeys = new SqliteIdentityKeyStore(scope, identity, trust);
        PreKeys = new SqlitePreKeyStore(scope, identity);
        SignedPreKeys = new SqliteSignedPreKeyStore(scope, identity);
        KyberPreKeys = new SqliteKyberPreKeyStore(scope, identity);
        Sessions = new SqliteSessionStore(scope, identity);
        SenderKeys = new SqliteSenderKeyStore(scope);
    }

    public AccountIdentity Identity { get; }
    public SqliteIdentityKeyStore IdentityKeys { get; }
    public SqlitePreKeyStore PreKeys { get; }
    public SqliteSignedPreKeyStore SignedPreKeys { get; }
    public SqliteKyberPreKeyStore KyberPreKeys { get; }
    public SqliteSessionStore Sessions { get; }
    public SqliteSenderKeyStore SenderKeys { get; }
}
