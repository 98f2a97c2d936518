using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Service.Api;
using SignalSharp.Store.Groups;
using SignalSharp.ZkGroup;
using SignalSharp.ZkGroup.GroupSend;
using SignalSharp.ZkGroup.Groups;

namespace SignalSharp.Account.Sending;

/// <summary>
/// What group sends of one account share across calls: the sender certificate and sealed 1:1 delivery (from the
/// account), the multi-recipient API, and per group revision the derived group secret params and the verified
/// group send endorsements, which are costly (Ristretto work per member) and change only with the membership.
/// </summary>
internal sealed class GroupSendContext(
    Func<CancellationToken, Task<SenderCertificate>> certificate,
    Func<Guid, CancellationToken, Task<SealedDelivery?>> sealedDelivery,
    MultiRecipientApi? multiRecipient,
    byte[]? serverPublicParams,
    ILogger logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, GroupSecretParams> secretParams = new();
    private readonly ConcurrentDictionary<string, Endorsed?> endorsed = new();
    private (string Key, byte[] Token)? lastToken;

    public MultiRecipientApi? MultiRecipient => multiRecipient;

    public Task<SenderCertificate> CertificateAsync(CancellationToken cancellationToken) => certificate(cancellationToken);

    public Task<SealedDelivery?> SealedDeliveryAsync(Guid recipient, CancellationToken cancellationToken) => sealedDelivery(recipient, cancellationToken);

    public GroupSecretParams SecretParams(byte[] masterKey)
        => secretParams.GetOrAdd(Convert.ToBase64String(masterKey), _ => GroupSecretParams.DeriveFromMasterKey(new GroupMasterKey(masterKey)));

    /// <summary>
    /// The Group-Send-Token for sending to <paramref name="recipients"/>: their endorsements combined and turned into
    /// a full token. Empty when the group's endorsements are not known (or do not verify): a server that checks the
    /// token then refuses the send, and the caller falls back to 1:1.
    /// </summary>
    public byte[] GroupSendToken(GroupRecord group, IReadOnlyCollection<Guid> recipients)
    {
        if (group.EndorsementsResponse is not { Length: > 0 } response || serverPublicParams is null)
        {
            return [];
        }

        var key = Convert.ToBase64String(group.GroupId) + "/" + group.Revision;
        var known = endorsed.GetOrAdd(key, _ => Receive(group, response));
        if (known is null || known.ExpiresAt <= DateTimeOffset.UtcNow)
        {
            return [];
        }

        // Successive sends to a group mostly go to the same members: the last token is kept for them.
        var tokenKey = key + "/" + string.Join(',', recipients.Order());
        if (lastToken is { } last && last.Key == tokenKey)
        {
            return last.Token;
        }

        var chosen = recipients.Select(r => known.ByMember.TryGetValue(r, out var e) ? e : null).ToList();
        if (chosen.Any(e => e is null))
        {
            return [];
        }

        var combined = GroupSendEndorsement.Combine(chosen!);
        var token = combined.ToFullToken(SecretParams(group.MasterKey), (ulong)known.ExpiresAt.ToUnixTimeSeconds()).Serialize();
        lastToken = (tokenKey, token);
        return token;
    }

    private Endorsed? Receive(GroupRecord group, byte[] responseBytes)
    {
        try
        {
            var response = GroupSendEndorsementsResponse.Deserialize(responseBytes);
            var members = group.Members.Select(m => ZkServiceId.Aci(m.Aci.ToByteArray(bigEndian: true))).ToList();
            var localIndex = 0; // Any member serves as "local" here: only the per-member endorsements are used.
            var (endorsements, _) = response.ReceiveWithServiceIds(members, members[localIndex], SecretParams(group.MasterKey),
                ServerPublicParams.Deserialize(serverPublicParams), DateTimeOffset.UtcNow);
            var byMember = new Dictionary<Guid, GroupSendEndorsement>();
            for (var i = 0; i < endorsements.Length; i++)
            {
                byMember[group.Members[i].Aci] = endorsements[i];
            }

            return new Endorsed(byMember, DateTimeOffset.FromUnixTimeSeconds((long)response.ExpirationSeconds));
        }
        catch (Exception e) when (e is ZkGroupException or ArgumentException or FormatException)
        {
            AccountLog.EndorsementsInvalid(logger, e.GetType().Name);
            return null;
        }
    }

    public void Dispose() => multiRecipient?.Dispose();

    private sealed record Endorsed(IReadOnlyDictionary<Guid, GroupSendEndorsement> ByMember, DateTimeOffset ExpiresAt);
}
