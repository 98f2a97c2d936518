using SignalSharp.Cli.Tests.Support;

namespace SignalSharp.Cli.Tests;

/// <summary>signal-cli's one-shot people commands (profile, contacts, blocking, devices) with its flags, down to the account.</summary>
public sealed class PeopleCommandsTests
{
    private const string Number = "+4366412345678";

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(OneAccount account, TempConfig config, params string[] args) =>
        OneShotRun.RunAsync(account, config, Number, args);

    [Fact]
    public async Task UpdateProfile_takes_signal_clis_flags()
    {
        var account = new OneAccount();
        using var config = new TempConfig();

        var first = await RunAsync(account, config, "updateProfile", "--given-name", "Ada", "--family-name", "Lovelace", "--about", "Engines", "--about-emoji", "🧮");
        var second = await RunAsync(account, config, "updateProfile", "--name", "Ada", "--remove-avatar");

        Assert.True(first.Code == 0, first.Stderr);
        Assert.True(second.Code == 0, second.Stderr);
        Assert.Equal(["profile Ada|Lovelace|Engines|🧮|False", "profile Ada||||True"], account.Controls);
    }

    [Fact]
    public async Task UpdateProfile_rotates_the_profile_key_with_our_extension_flag_and_says_so_in_its_help()
    {
        var account = new OneAccount();
        using var config = new TempConfig();

        var run = await RunAsync(account, config, "updateProfile", "--rotate-profile-key");
        var help = await RunAsync(account, config, "updateProfile", "--help");

        Assert.True(run.Code == 0, run.Stderr);
        Assert.Equal(["profile ||||False|rotate"], account.Controls);
        Assert.Contains("--rotate-profile-key", help.Stdout);
        Assert.Contains("signal-cli has no such option", System.Text.RegularExpressions.Regex.Replace(help.Stdout, @"\s+", " "));
    }

    [Fact]
    public async Task Block_unblock_removeContact_and_updateContact_name_take_signal_clis_flags()
    {
        var account = new OneAccount();
        using var config = new TempConfig();
        const string Group = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

        foreach (var args in new[]
        {
            new[] { "block", Number, "-g", Group },
            ["unblock", Number],
            ["updateContact", Number, "--given-name", "Ada", "--family-name", "Lovelace"],
            ["removeContact", Number, "--forget"],
        })
        {
            var run = await RunAsync(account, config, args);
            Assert.True(run.Code == 0, run.Stderr);
        }

        Assert.Equal([$"block {Number} {Group}", $"unblock {Number} ", $"name {Number} Ada Lovelace", $"remove {Number} True"], account.Controls);
    }

    [Fact]
    public async Task ListDevices_prints_the_device_list_and_removeDevice_takes_its_id()
    {
        var account = new OneAccount();
        using var config = new TempConfig();

        var list = await RunAsync(account, config, "listDevices");
        var removed = await RunAsync(account, config, "removeDevice", "-d", "3");

        Assert.True(list.Code == 0, list.Stderr);
        var device = System.Text.Json.Nodes.JsonNode.Parse(list.Stdout)!.AsArray().Single()!;
        Assert.Equal((2, "signal-sharp", 5L, 6L), ((int)device["id"]!, (string?)device["name"], (long)device["createdTimestamp"]!, (long)device["lastSeenTimestamp"]!));
        Assert.True(removed.Code == 0, removed.Stderr);
        Assert.Equal(["removeDevice 3"], account.Controls);
    }

    [Fact]
    public async Task AddDevice_takes_the_link_uri()
    {
        var account = new OneAccount();
        using var config = new TempConfig();
        const string Uri = "sgnl://linkdevice?uuid=abc&pub_key=BQ%2Bx";

        var added = await RunAsync(account, config, "addDevice", "--uri", Uri);

        Assert.True(added.Code == 0, added.Stderr);
        Assert.Equal([$"addDevice {Uri}"], account.Controls);
    }

    [Fact]
    public async Task SendMessageRequestResponse_takes_signal_clis_type_and_refuses_another()
    {
        var account = new OneAccount();
        using var config = new TempConfig();

        var accepted = await RunAsync(account, config, "sendMessageRequestResponse", "--type", "accept", Number);
        var wrong = await RunAsync(account, config, "sendMessageRequestResponse", "--type", "block", Number);
        var untyped = await RunAsync(account, config, "sendMessageRequestResponse", Number);

        Assert.True(accepted.Code == 0, accepted.Stderr);
        Assert.NotEqual(0, wrong.Code);
        Assert.NotEqual(0, untyped.Code);
        Assert.Equal([$"messageRequestResponse Accept {Number}"], account.Controls);
    }
}
