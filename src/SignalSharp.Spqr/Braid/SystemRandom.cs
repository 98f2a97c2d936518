using System.Security.Cryptography;

namespace SignalSharp.Spqr.Braid;

/// <summary>The OS CSPRNG behind the <see cref="RandomNumberGenerator"/> API, shared because it is thread-safe.</summary>
internal static class SystemRandom
{
    public static RandomNumberGenerator Instance { get; } = RandomNumberGenerator.Create();
}
