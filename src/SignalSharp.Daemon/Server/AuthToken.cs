using System.Security.Cryptography;
using System.Text;

namespace SignalSharp.Daemon.Server;

/// <summary>
/// The shared secret a client must show before its commands are carried out (<c>--auth-token-file</c>): for a
/// daemon reachable from other machines, where anyone who reaches the port could otherwise read and send messages.
/// </summary>
public sealed class AuthToken
{
    private readonly byte[] secret;

    private AuthToken(byte[] secret) => this.secret = secret;

    /// <summary>The file's text without surrounding whitespace (a trailing newline is what editors leave).</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="InvalidDataException">The file holds no token.</exception>
    public static AuthToken FromFile(string path)
    {
        var text = File.ReadAllText(path).Trim();
        if (text.Length == 0)
        {
            throw new InvalidDataException($"{path} is empty: it must hold the token");
        }

        return new AuthToken(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Compares in constant time, so response timing does not tell an attacker how much was right.</summary>
    public bool Matches(ReadOnlySpan<byte> candidate) =>
        candidate.Length == secret.Length && CryptographicOperations.FixedTimeEquals(candidate, secret);
}
