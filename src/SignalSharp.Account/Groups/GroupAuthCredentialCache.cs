using System.Buffers.Binary;
using SignalSharp.Service.Groups;
using SignalSharp.Store;
using SignalSharp.ZkGroup;
using SignalSharp.ZkGroup.Auth;

namespace SignalSharp.Account.Groups;

/// <summary>
/// The account's group auth credentials, one per day: fetched a week at a time (<c>GET /v1/certificate/auth/group</c>),
/// verified on receipt against the server's zkgroup params, and kept in the settings so that a restart or the next
/// group fetch the same day asks the server nothing. Today's credential (UTC) is the one the group server accepts.
/// An account without a phone number has no PNI: the server binds its credentials to a stand-in derived from the ACI
/// and the account's auth credential salt, which the primary handed over at link time.
/// </summary>
internal sealed class GroupAuthCredentialCache(
    AccountDatabase db, GroupCredentialsApi api, ServerPublicParams serverParams, Guid aci, Guid? pni, byte[]? authCredentialSalt)
{
    private const string SettingsKey = "groups.auth_credentials";
    private const long SecondsPerDay = 86400;
    private const int DaysFetched = 7;

    /// <summary>How many times credentials were fetched from the server (tests check the caching).</summary>
    public int ServerFetches { get; private set; }

    /// <summary>Today's credential, from the cache or else freshly fetched (with the following days) and stored.</summary>
    /// <exception cref="GroupLearningUnavailableException">Neither a PNI nor the salt that replaces it is known, or the server sent no credential for today.</exception>
    public async Task<AuthCredentialWithPni> GetTodayAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = now.ToUnixTimeSeconds() / SecondsPerDay * SecondsPerDay;
        var cached = Decode(await db.Settings.GetBytesAsync(SettingsKey, cancellationToken).ConfigureAwait(false));
        if (cached.FirstOrDefault(c => c.RedemptionTime == (ulong)today) is { } hit)
        {
            return hit;
        }

        var answer = await api.GetAsync(today, today + (DaysFetched * SecondsPerDay), cancellationToken).ConfigureAwait(false);
        ServerFetches++;
        var receive = Receiver(pni ?? (Guid.TryParse(answer.Pni, out var fromServer) ? fromServer : null));
        var received = new List<AuthCredentialWithPni>(answer.Credentials.Count);
        foreach (var entry in answer.Credentials)
        {
            if (entry.RedemptionTime < today)
            {
                continue;
            }

            // Receive verifies the server's proof: a credential that does not verify is never stored or presented.
            var response = AuthCredentialWithPniResponse.Deserialize(entry.Credential);
            received.Add(receive(response, (ulong)entry.RedemptionTime));
        }

        await db.Settings.SetBytesAsync(SettingsKey, Encode(received), cancellationToken).ConfigureAwait(false);
        return received.FirstOrDefault(c => c.RedemptionTime == (ulong)today)
            ?? throw new GroupLearningUnavailableException("the server sent no group auth credential for today");
    }

    // Receiving verifies the issuance proof against the attributes we expect: our ACI and our PNI, or for an account
    // without one, the stand-in the server derived from the salt.
    private Func<AuthCredentialWithPniResponse, ulong, AuthCredentialWithPni> Receiver(Guid? knownPni)
    {
        var aciId = ZkServiceId.Aci(aci.ToByteArray(bigEndian: true));
        if (knownPni is { } pniUuid)
        {
            var pniId = ZkServiceId.Pni(pniUuid.ToByteArray(bigEndian: true));
            return (response, redemption) => response.Receive(aciId, pniId, redemption, serverParams);
        }

        if (authCredentialSalt is not { Length: > 0 } salt)
        {
            throw new GroupLearningUnavailableException("the account has no PNI and no auth credential salt (link the device again)");
        }

        return (response, redemption) => response.ReceiveWithoutPni(aciId, salt, redemption, serverParams);
    }

    /// <summary>Forgets every cached credential (the group server refused one: the next fetch gets new ones).</summary>
    public Task ClearAsync(CancellationToken cancellationToken) => db.Settings.RemoveAsync(SettingsKey, cancellationToken);

    // Layout: per credential, u64 LE redemption time, u32 LE length, the serialized AuthCredentialWithPni.
    internal static byte[] Encode(IReadOnlyList<AuthCredentialWithPni> credentials)
    {
        var parts = credentials.Select(c => (c.RedemptionTime, Bytes: c.Serialize())).ToList();
        var buffer = new byte[parts.Sum(p => 12 + p.Bytes.Length)];
        var offset = 0;
        foreach (var (time, bytes) in parts)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(offset), time);
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(offset + 8), (uint)bytes.Length);
            bytes.CopyTo(buffer, offset + 12);
            offset += 12 + bytes.Length;
        }

        return buffer;
    }

    internal static IReadOnlyList<AuthCredentialWithPni> Decode(byte[]? stored)
    {
        var list = new List<AuthCredentialWithPni>();
        var span = stored.AsSpan();
        while (span.Length >= 12)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
            if (length > span.Length - 12)
            {
                // A damaged cache costs only a refetch.
                return [];
            }

            try
            {
                list.Add(AuthCredentialWithPni.Deserialize(span.Slice(12, length)));
            }
            catch (ZkGroupException)
            {
                return [];
            }

            span = span[(12 + length)..];
        }

        return list;
    }
}
