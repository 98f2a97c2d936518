using Google.Protobuf;
using SignalSharp.Service.Proto;

namespace SignalSharp.Service.Provisioning;

/// <summary>
/// The primary's side of linking: the account's secrets as a ProvisionMessage, encrypted to the new device's
/// ephemeral key with the provisioning cipher (the one <see cref="ProvisioningSession"/> opens), as a serialized
/// ProvisionEnvelope ready for <c>PUT /v1/provisioning/{address}</c>.
/// </summary>
public static class ProvisionSealer
{
    /// <summary>The provisioning version Signal's apps send today (the one that added tablet support).</summary>
    public const uint CurrentProvisioningVersion = 1;

    public static byte[] Seal(ProvisionData data, ReadOnlySpan<byte> newDevicePublicKey)
    {
        ArgumentNullException.ThrowIfNull(data);
        var message = new ProvisionMessage
        {
            AciBinary = ByteString.CopyFrom(data.Aci.ToByteArray(bigEndian: true)),
            AciIdentityKeyPublic = ByteString.CopyFrom(data.AciIdentity.PublicKey),
            AciIdentityKeyPrivate = ByteString.CopyFrom(data.AciIdentity.PrivateKey),
            ProvisioningCode = data.ProvisioningCode,
            ReadReceipts = data.ReadReceipts,
            ProvisioningVersion = data.ProvisioningVersion,
        };
        if (data.Pni is { } pni)
        {
            message.PniBinary = ByteString.CopyFrom(pni.ToByteArray(bigEndian: true));
        }

        if (data.PniIdentity is { } pniIdentity)
        {
            message.PniIdentityKeyPublic = ByteString.CopyFrom(pniIdentity.PublicKey);
            message.PniIdentityKeyPrivate = ByteString.CopyFrom(pniIdentity.PrivateKey);
        }

        if (data.Number is { } number)
        {
            message.Number = number;
        }

        if (data.ProfileKey is { } profileKey)
        {
            message.ProfileKey = ByteString.CopyFrom(profileKey);
        }

        if (data.MasterKey is { } masterKey)
        {
            message.MasterKey = ByteString.CopyFrom(masterKey);
        }

        if (data.AccountEntropyPool is { } pool)
        {
            message.AccountEntropyPool = pool;
        }

        if (data.MediaRootBackupKey is { } mediaRoot)
        {
            message.MediaRootBackupKey = ByteString.CopyFrom(mediaRoot);
        }

        if (data.UserAgent is { } userAgent)
        {
            message.UserAgent = userAgent;
        }

        if (data.AuthCredentialSalt is { } salt)
        {
            message.AuthCredentialSalt = ByteString.CopyFrom(salt);
        }

        var (publicKey, body) = ProvisioningCipher.Encrypt(newDevicePublicKey, message.ToByteArray());
        return new ProvisionEnvelope { PublicKey = ByteString.CopyFrom(publicKey), Body = ByteString.CopyFrom(body) }.ToByteArray();
    }
}

/// <summary>A <c>sgnl://linkdevice</c> URI as a new device shows it: its provisioning address and ephemeral public key.</summary>
public sealed record DeviceLinkUri(string Address, byte[] PublicKey)
{
    /// <summary>Reads the URI's <c>uuid</c> and <c>pub_key</c> (base64, standard or URL-safe, percent-encoded or not).</summary>
    /// <exception cref="FormatException">Not a link URI, or without a usable address or 33-byte Curve25519 key.</exception>
    public static DeviceLinkUri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("sgnl" or "tsdevice"))
        {
            throw new FormatException("not a sgnl://linkdevice URI");
        }

        string? address = null;
        string? key = null;
        foreach (var part in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            var name = separator < 0 ? part : part[..separator];
            var value = separator < 0 ? "" : Uri.UnescapeDataString(part[(separator + 1)..]);
            if (name == "uuid")
            {
                address = value;
            }
            else if (name == "pub_key")
            {
                key = value;
            }
        }

        if (string.IsNullOrWhiteSpace(address) || address.Contains('/', StringComparison.Ordinal))
        {
            throw new FormatException("the link URI has no provisioning address (uuid)");
        }

        byte[] publicKey;
        try
        {
            var base64 = (key ?? "").Replace('-', '+').Replace('_', '/').Replace(' ', '+');
            publicKey = Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
        }
        catch (FormatException e)
        {
            throw new FormatException("the link URI's pub_key is not base64", e);
        }

        if (publicKey.Length != 33 || publicKey[0] != 0x05)
        {
            throw new FormatException("the link URI's pub_key is not a 33-byte Curve25519 public key");
        }

        return new DeviceLinkUri(address, publicKey);
    }
}
