namespace SignalSharp.Cli.Tests;

/// <summary>`register` and `verify` refusing bad command lines before any server is contacted.</summary>
public sealed class RegisterCommandTests : IDisposable
{
    private readonly string config = Directory.CreateTempSubdirectory("signalsharp-register-cli-").FullName;

    [Theory]
    [InlineData("register")]
    [InlineData("verify", "111111")]
    public async Task Without_an_account_the_command_says_how_to_name_one(params string[] command)
    {
        var (code, _, stderr) = await RunAsync(["--config", config, .. command]);
        Assert.Equal(1, code);
        Assert.Contains("no account given", stderr);
        Assert.Contains("-a/--account +NUMBER", stderr);
    }

    [Theory]
    [InlineData("4366412345678")]
    [InlineData("+43 664 123")]
    [InlineData("+12")]
    public async Task A_number_not_in_e164_form_is_refused(string number)
    {
        var (code, _, stderr) = await RunAsync(["--config", config, "-a", number, "register", "--captcha", "x"]);
        Assert.Equal(1, code);
        Assert.Contains("E.164", stderr);
        Assert.Contains(number, stderr);
        Assert.False(Directory.Exists(Path.Combine(config, "accounts")));
    }

    [Fact]
    public async Task Verify_without_register_says_to_register_first()
    {
        var (code, _, stderr) = await RunAsync(["--config", config, "-a", "+4366412345678", "verify", "111111"]);
        Assert.Equal(1, code);
        Assert.Contains("no registration of +4366412345678 is waiting for a code", stderr);
        Assert.Contains("signal-sharp -a +4366412345678 register", stderr);
    }

    [Fact]
    public async Task Verify_needs_the_code()
    {
        var (code, _, stderr) = await RunAsync(["--config", config, "-a", "+4366412345678", "verify"]);
        Assert.Equal(2, code);
        Assert.Contains("argument missing for command: 'verify'", stderr);
    }

    [Fact]
    public async Task A_missing_server_profile_is_a_usage_error()
    {
        var missing = Path.Combine(config, "nope.json");
        var (code, _, stderr) = await RunAsync(["--config", config, "-a", "+4366412345678", "register", "--server", missing]);
        Assert.Equal(2, code);
        Assert.Contains($"--server {missing}", stderr);
    }

    [Fact]
    public async Task Help_lists_register_and_verify_with_their_options()
    {
        var (_, stdout, _) = await RunAsync(["--help"]);
        Assert.Contains("register", stdout);
        Assert.Contains("verify", stdout);
        (_, stdout, _) = await RunAsync(["register", "--help"]);
        Assert.Contains("--captcha", stdout);
        Assert.Contains("--voice", stdout);
        Assert.Contains("--server", stdout);
        (_, stdout, _) = await RunAsync(["verify", "--help"]);
        Assert.Contains("--pin", stdout);
        (_, stdout, _) = await RunAsync(["daemon", "--help"]);
        Assert.Contains("--server", stdout);
    }

    public void Dispose() => Directory.Delete(config, recursive: true);

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApp.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
