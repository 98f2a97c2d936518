using System.Globalization;
using SignalSharp.Account.Registration;
using SignalSharp.Account.Storage;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Account.Tests;

/// <summary>A primary registered on the mock with register/verify, in a data directory of its own (removed on dispose).</summary>
internal sealed class RegisteredPrimary(string config, string number, AccountRecord record) : IDisposable
{
    public AccountRecord Record { get; } = record;

    public string Number { get; } = number;

    public string ProfilePath => Path.Combine(config, "mock.json");

    public ServerProfile Profile => ServerProfile.Load(ProfilePath);

    public static async Task<RegisteredPrimary> CreateAsync(MockServer mock, CancellationToken ct)
    {
        var config = Directory.CreateTempSubdirectory("signalsharp-primary-").FullName;
        var profilePath = Path.Combine(config, "mock.json");
        mock.WriteServerProfile(profilePath);
        var number = "+1555" + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);
        var registration = new PrimaryRegistration(config) { OneTimePreKeyCount = 5 };
        await registration.RequestCodeAsync(ServerProfile.Load(profilePath), number, "signal-hcaptcha.test", voice: false, ct);
        var record = await registration.VerifyAsync(number, mock.Ready["verificationCode"]!.GetValue<string>(), pin: null, cancellationToken: ct);
        return new RegisteredPrimary(config, number, record);
    }

    public async Task<LinkedAccount> OpenAsync(CancellationToken ct) =>
        (await LinkedAccount.OpenAsync(AccountDirectory.For(config, Number), cancellationToken: ct))!;

    /// <summary>
    /// Links a new SignalSharp device into <paramref name="secondConfig"/> through <paramref name="primary"/>'s addDevice
    /// (the URI the new device shows); the new device's record.
    /// </summary>
    public async Task<AccountRecord> LinkSecondDeviceAsync(LinkedAccount primary, string secondConfig, CancellationToken ct)
    {
        Task? adding = null;
        var linker = new Linking.DeviceLinker(Profile, secondConfig) { OneTimePreKeyCount = 5 };
        var linked = await linker.LinkAsync("second device", uri => adding = primary.People.AddDeviceAsync(uri.OriginalString, ct), ct);
        await adding!.WaitAsync(ct);
        return linked;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(config, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
