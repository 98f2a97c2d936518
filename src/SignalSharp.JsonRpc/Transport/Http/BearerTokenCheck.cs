using System.Text;

namespace SignalSharp.JsonRpc.Transport.Http;

/// <summary>Whether <paramref name="candidate"/> is the daemon's shared secret; the owner of the secret compares in constant time.</summary>
public delegate bool SecretMatcher(ReadOnlySpan<byte> candidate);

/// <summary>
/// The daemon's <c>--auth-token-file</c> secret over HTTP: a request must carry <c>Authorization: Bearer TOKEN</c>
/// (RFC 6750; the scheme in any case). The secret itself stays with its owner, which answers only whether a
/// candidate matches, so the comparison is the same constant-time one the TCP channel uses.
/// </summary>
public sealed class BearerTokenCheck(SecretMatcher matches)
{
    private const string Scheme = "Bearer ";

    /// <summary>Whether the request's Authorization header values show the secret (exactly one value, Bearer scheme).</summary>
    public bool Allows(IReadOnlyList<string?> authorization)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        if (authorization.Count != 1 || authorization[0] is not { } value
            || !value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var token = value.AsSpan(Scheme.Length).Trim(' ');
        if (token.IsEmpty)
        {
            return false;
        }

        Span<byte> bytes = token.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(token.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(token.Length)];
        var length = Encoding.UTF8.GetBytes(token, bytes);
        return matches(bytes[..length]);
    }
}
