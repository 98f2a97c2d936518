using SignalSharp.Store.Profiles;

namespace SignalSharp.Store.Tests;

/// <summary>A fetched profile is stored with its names on the recipient, and goes with the recipient.</summary>
public sealed class ProfileStoreTests
{
    [Fact]
    public async Task A_saved_profile_reads_back_with_the_names_on_the_recipient_and_the_key_it_was_fetched_with()
    {
        await using var t = await TestDatabase.OpenAsync();
        var recipient = await t.Db.Recipients.GetOrCreateByAciAsync(Guid.NewGuid());
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_000);

        await t.Db.Profiles.SaveAsync(recipient.Id, new ProfileRecord("Ada", "Lovelace", "Engines", "🧮", "profiles/abc", ["deleteSync", "ssre2"], at) { FetchedWithKey = [1, 2, 3] });

        var profile = await t.Db.Profiles.GetAsync(recipient.Id);
        Assert.NotNull(profile);
        Assert.Equal(("Ada", "Lovelace", "Engines", "🧮", "profiles/abc"), (profile.GivenName, profile.FamilyName, profile.About, profile.AboutEmoji, profile.AvatarPath));
        Assert.Equal(["deleteSync", "ssre2"], profile.Capabilities);
        Assert.Equal(at, profile.FetchedAt);
        Assert.Equal([1, 2, 3], profile.FetchedWithKey);
        Assert.Equal("Ada Lovelace", (await t.Db.Recipients.GetAsync(recipient.Id))!.ProfileName);
        Assert.Null(await t.Db.Profiles.GetAsync(recipient.Id + 1000));
    }
}
