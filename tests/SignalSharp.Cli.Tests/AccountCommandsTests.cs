using SignalSharp.Cli.Tests.Support;

namespace SignalSharp.Cli.Tests;

/// <summary>signal-cli's one-shot updateAccount, sendContacts and getUserStatus with its flags and outputs, down to the account.</summary>
public sealed class AccountCommandsTests
{
    private const string Number = "+4366412345678";

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(OneAccount account, TempConfig config, params string[] args) =>
        OneShotRun.RunAsync(account, config, Number, args);

    [Fact]
    public async Task UpdateAccount_renames_the_device_with_signal_clis_flag_and_refuses_the_attributes_by_name()
    {
        var account = new OneAccount();
        using var config = new TempConfig();

        var renamed = await RunAsync(account, config, "updateAccount", "-n", "Kitchen bot");
        var refused = await RunAsync(account, config, "updateAccount", "--device-name", "Hall", "--discoverable-by-number", "false");

        Assert.True(renamed.Code == 0, renamed.Stderr);
        Assert.Equal(ExitCodes.CommandFailed, refused.Code);
        Assert.Contains("discoverableByNumber", refused.Stderr);
        Assert.Equal(["deviceName Kitchen bot"], account.Controls);
    }

    [Fact]
    public async Task SendContacts_reaches_the_account()
    {
        var account = new OneAccount();
        using var config = new TempConfig();

        var run = await RunAsync(account, config, "sendContacts");

        Assert.True(run.Code == 0, run.Stderr);
        Assert.Equal(["sendContacts"], account.Controls);
    }

    [Fact]
    public async Task GetUserStatus_prints_signal_clis_plain_lines_or_its_json_list()
    {
        var account = new OneAccount();
        using var config = new TempConfig();
        const string ServiceId = "7a3c1f52-0d5e-4b6a-9c2f-1e8d7b6a5c4f";

        var plain = await RunAsync(account, config, "getUserStatus", "+4366400000001", ServiceId);
        var json = await RunAsync(account, config, "-o", "json", "getUserStatus", "+4366400000001");

        Assert.True(plain.Code == 0, plain.Stderr);
        Assert.Equal($"+4366400000001: true\n{ServiceId}: false", plain.Stdout.ReplaceLineEndings("\n"));
        Assert.True(json.Code == 0, json.Stderr);
        Assert.Equal(
            """[{"recipient":"+4366400000001","number":"+4366400000001","uuid":"00000001-0000-0000-0000-000000000000","isRegistered":true}]""",
            json.Stdout);
    }

    [Fact]
    public async Task GetAvatar_prints_the_image_in_base64_or_signal_clis_json_and_fails_when_none_is_stored()
    {
        var account = new OneAccount();
        using var config = new TempConfig();
        const string Group = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

        var plain = await RunAsync(account, config, "getAvatar", "-g", Group);
        var json = await RunAsync(account, config, "-o", "json", "getAvatar", "--group-id", Group);
        var missing = await RunAsync(account, config, "getAvatar", "-p", "+4366400000001");

        Assert.True(plain.Code == 0, plain.Stderr);
        Assert.Equal(Convert.ToBase64String(OneAccount.GroupAvatar), plain.Stdout.TrimEnd());
        Assert.True(json.Code == 0, json.Stderr);
        Assert.Equal($$"""{"data":"{{Convert.ToBase64String(OneAccount.GroupAvatar)}}"}""", json.Stdout.TrimEnd());
        Assert.NotEqual(0, missing.Code);
        Assert.Contains("Could not find avatar", missing.Stderr);
    }
}
