using SignalSharp.Protocol.Fingerprints;

namespace SignalSharp.Protocol.Tests.Fingerprints;

public sealed class FingerprintTests
{
    private static readonly IdentityKey AliceKey = IdentityKeyPair.Generate().IdentityKey;
    private static readonly IdentityKey BobKey = IdentityKeyPair.Generate().IdentityKey;
    private static readonly Guid Alice = Guid.NewGuid();
    private static readonly Guid Bob = Guid.NewGuid();

    [Fact]
    public void Both_sides_display_the_same_60_digits()
    {
        var mine = Fingerprint.ForAcis(Alice, AliceKey, Bob, BobKey);
        var theirs = Fingerprint.ForAcis(Bob, BobKey, Alice, AliceKey);
        Assert.Equal(60, mine.Displayable.Value.Length);
        Assert.True(mine.Displayable.Value.All(char.IsAsciiDigit));
        Assert.Equal(mine.Displayable.Value, theirs.Displayable.Value);
        Assert.Equal(mine.Displayable.LocalDigits, theirs.Displayable.RemoteDigits);
    }

    [Fact]
    public void Scannable_fingerprints_match_crosswise_and_not_otherwise()
    {
        var mine = Fingerprint.ForAcis(Alice, AliceKey, Bob, BobKey);
        var theirs = Fingerprint.ForAcis(Bob, BobKey, Alice, AliceKey);
        Assert.True(mine.Scannable.Compare(theirs.Scannable.Serialize()));
        Assert.True(theirs.Scannable.Compare(mine.Scannable.Serialize()));
        Assert.False(mine.Scannable.Compare(mine.Scannable.Serialize()));

        var mitm = Fingerprint.ForAcis(Bob, IdentityKeyPair.Generate().IdentityKey, Alice, AliceKey);
        Assert.False(mine.Scannable.Compare(mitm.Scannable.Serialize()));
        Assert.NotEqual(mine.Displayable.Value, mitm.Displayable.Value);
    }

    [Fact]
    public void Version_mismatch_and_garbage_are_typed_errors()
    {
        var v2 = Fingerprint.ForAcis(Alice, AliceKey, Bob, BobKey);
        var v1 = Fingerprint.Create(1, 5200, Bob.ToByteArray(true), BobKey, Alice.ToByteArray(true), AliceKey);
        var mismatch = Assert.Throws<FingerprintVersionMismatchException>(() => v2.Scannable.Compare(v1.Scannable.Serialize()));
        Assert.Equal((1u, 2u), (mismatch.TheirVersion, mismatch.OurVersion));
        Assert.Throws<FingerprintParsingException>(() => v2.Scannable.Compare([0xFF, 0xFF, 0xFF]));
    }

    [Fact]
    public void Iterations_are_bounded_like_libsignal()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Fingerprint.Create(2, 1, [], AliceKey, [], BobKey));
        Assert.Throws<ArgumentOutOfRangeException>(() => Fingerprint.Create(2, 1_000_001, [], AliceKey, [], BobKey));
        Assert.Equal(60, Fingerprint.Create(2, 2, [], AliceKey, [], BobKey).Displayable.Value.Length);
    }
}
