using System.Security.Cryptography;

namespace SignalSharp.Protocol;

/// <summary>Generation of registration ids and batches of prekeys, as a client does at registration and refill.</summary>
public static class KeyHelper
{
    /// <summary>Registration ids are 14-bit values (sealed sender v2 carries them in 14 bits); Signal picks 1..16380.</summary>
    public const uint MaxRegistrationId = 16380;

    /// <summary>Prekey ids wrap below 2^24, as Signal's clients keep them (the medium value for id rollover).</summary>
    public const uint PreKeyIdModulus = 0xFFFFFF;

    public static uint GenerateRegistrationId() => (uint)RandomNumberGenerator.GetInt32(1, (int)MaxRegistrationId + 1);

    /// <summary>A random starting id for a new prekey batch, in 1..2^24−1.</summary>
    public static uint GeneratePreKeyIdOffset() => (uint)RandomNumberGenerator.GetInt32(1, (int)PreKeyIdModulus);

    /// <summary><paramref name="count"/> one-time prekeys with consecutive ids from <paramref name="start"/>, wrapping below 2^24 and skipping 0.</summary>
    public static IReadOnlyList<PreKeyRecord> GeneratePreKeys(uint start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var records = new List<PreKeyRecord>(count);
        for (var i = 0; i < count; i++)
        {
            records.Add(PreKeyRecord.Generate(NextId(start, i)));
        }

        return records;
    }

    public static SignedPreKeyRecord GenerateSignedPreKey(IdentityKeyPair identity, uint id) => SignedPreKeyRecord.Generate(identity, id);

    /// <summary><paramref name="count"/> signed Kyber prekeys with consecutive ids from <paramref name="start"/>.</summary>
    public static IReadOnlyList<KyberPreKeyRecord> GenerateKyberPreKeys(IdentityKeyPair identity, uint start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var records = new List<KyberPreKeyRecord>(count);
        for (var i = 0; i < count; i++)
        {
            records.Add(KyberPreKeyRecord.Generate(identity, NextId(start, i)));
        }

        return records;
    }

    public static KyberPreKeyRecord GenerateLastResortKyberPreKey(IdentityKeyPair identity, uint id) => KyberPreKeyRecord.Generate(identity, id);

    internal static ulong NowMilliseconds() => (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static uint NextId(uint start, int offset) => ((start - 1 + (uint)offset) % (PreKeyIdModulus - 1)) + 1;
}
