using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SignalSharp.Account.Linking;
using SignalSharp.Account.Storage;
using SignalSharp.Account.StorageService;
using SignalSharp.Protocol;
using SignalSharp.Service.Api;
using SignalSharp.Service.Profiles;
using SignalSharp.Service.Storage;
using SignalSharp.Service.Transport;
using SignalSharp.Store;
using SignalSharp.Store.Protocol;

namespace SignalSharp.Account.Registration;

/// <summary>
/// Registers a phone number as a new primary account, in two steps as signal-cli does: <see cref="RequestCodeAsync"/>
/// (verification session, captcha, code by SMS or voice) and <see cref="VerifyAsync"/> (code checked, fresh ACI and PNI
/// identities with their pre-keys, <c>POST /v1/registration</c>, the account saved where a linked device's would be).
/// </summary>
public sealed class PrimaryRegistration(string configDirectory, ILogger? logger = null)
{
    /// <summary>One-time pre-keys uploaded per identity (tests use fewer: Kyber key generation is not free).</summary>
    public int OneTimePreKeyCount { get; init; } = PreKeyGenerator.OneTimeCount;

    /// <summary>Asks the server to send a verification code to <paramref name="number"/>.</summary>
    /// <exception cref="CaptchaRequiredException">The server wants a captcha and none was given.</exception>
    /// <exception cref="AccountAlreadyExistsException">The data directory already holds this number.</exception>
    public async Task RequestCodeAsync(ServerProfile profile, string number, string? captcha, bool voice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var directory = AccountDirectory.For(configDirectory, number);
        var existed = File.Exists(Path.Combine(directory, AccountDatabase.FileName));
        var saved = false;
        try
        {
            var db = await OpenForRegistrationAsync(directory, number, cancellationToken).ConfigureAwait(false);
            await using var dbDisposal = db.ConfigureAwait(false);
            var connection = new ChatConnection(profile, logger: logger);
            await using var connectionDisposal = connection.ConfigureAwait(false);
            await connection.StartAsync(cancellationToken).ConfigureAwait(false);
            var api = new RegistrationApi(connection);
            var session = await api.CreateSessionAsync(number, cancellationToken).ConfigureAwait(false);
            if (!session.AllowedToRequestCode && Requests(session, "captcha"))
            {
                if (string.IsNullOrWhiteSpace(captcha))
                {
                    throw new CaptchaRequiredException(number);
                }

                session = await api.SubmitCaptchaAsync(session.Id, StripCaptchaScheme(captcha), cancellationToken).ConfigureAwait(false);
            }

            if (!session.AllowedToRequestCode)
            {
                throw session.RequestedInformation is { Count: > 0 } requested && !Requests(session, "captcha")
                    ? new VerificationBlockedException(number, requested)
                    : new CaptchaRequiredException(number);
            }

            await api.RequestCodeAsync(session.Id, voice ? "voice" : "sms", cancellationToken).ConfigureAwait(false);
            await new PendingRegistration(session.Id, profile.ToJson()).SaveAsync(db, cancellationToken).ConfigureAwait(false);
            saved = true;
            AccountLog.VerificationCodeRequested(logger ?? NullLogger.Instance, voice ? "voice" : "SMS");
        }
        finally
        {
            // A directory this call created for nothing would make `link` believe the number is taken.
            if (!saved && !existed)
            {
                TryDelete(directory);
            }
        }
    }

    /// <summary>Checks the code and creates the account; <paramref name="serverOverride"/> replaces the server `register` used.</summary>
    /// <exception cref="RegistrationNotStartedException">No `register` is pending for this number.</exception>
    /// <exception cref="WrongVerificationCodeException">The server did not accept the code.</exception>
    public async Task<AccountRecord> VerifyAsync(string number, string code, string? pin, ServerProfile? serverOverride = null, CancellationToken cancellationToken = default)
    {
        var directory = AccountDirectory.For(configDirectory, number);
        if (!File.Exists(Path.Combine(directory, AccountDatabase.FileName)))
        {
            throw new RegistrationNotStartedException(number, "no code was requested from this data directory");
        }

        var db = await AccountDatabase.OpenAsync(directory, cancellationToken).ConfigureAwait(false);
        await using var dbDisposal = db.ConfigureAwait(false);
        if (await AccountRecord.LoadAsync(db, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new AccountAlreadyExistsException(number, directory);
        }

        var pending = await PendingRegistration.LoadAsync(db, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistrationNotStartedException(number, "no code was requested from this data directory");
        var profile = serverOverride ?? ServerProfile.Parse(pending.ServerProfileJson, directory, "stored server profile");

        var connection = new ChatConnection(profile, logger: logger);
        await using var connectionDisposal = connection.ConfigureAwait(false);
        await connection.StartAsync(cancellationToken).ConfigureAwait(false);
        var api = new RegistrationApi(connection);
        await SubmitCodeAsync(api, number, pending.SessionId, code.Replace("-", "", StringComparison.Ordinal).Trim(), cancellationToken).ConfigureAwait(false);

        var keys = await CreateIdentitiesAsync(db, cancellationToken).ConfigureAwait(false);
        var profileKey = RandomNumberGenerator.GetBytes(32);
        var masterKey = RandomNumberGenerator.GetBytes(32);
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var attributes = new RegistrationAccountAttributes(keys.Aci.RegistrationId, keys.Pni.RegistrationId, RecoveryPassword(masterKey))
        {
            UnidentifiedAccessKey = new ZkGroup.Profiles.ProfileKey(profileKey).DeriveAccessKey().Select(b => (int)b).ToArray(),
        };
        RegisterAccountResponse registered;
        try
        {
            registered = await api.RegisterAsync(number, password, new RegisterAccountRequest(
                pending.SessionId,
                attributes,
                keys.Aci.IdentityKey,
                keys.Pni.IdentityKey,
                keys.Aci.Upload.SignedPreKey!,
                keys.Pni.Upload.SignedPreKey!,
                keys.Aci.Upload.PqLastResortPreKey!,
                keys.Pni.Upload.PqLastResortPreKey!), cancellationToken).ConfigureAwait(false);
        }
        catch (UnexpectedResponseException e) when (e.Status == 423)
        {
            throw new RegistrationLockedException(number, !string.IsNullOrEmpty(pin));
        }

        var record = new AccountRecord
        {
            Number = number,
            Aci = Guid.Parse(registered.Uuid),
            Pni = Guid.TryParse(registered.Pni, out var pni) ? pni : null,
            DeviceId = 1,
            Password = password,
            ProfileKey = profileKey,
            MasterKey = masterKey,
            ServerProfileJson = profile.ToJson(),
        };
        await record.SaveAsync(db, cancellationToken).ConfigureAwait(false);
        await db.Recipients.ResolveAsync(record.Aci, record.Pni, number, cancellationToken).ConfigureAwait(false);
        // A primary has no primary to ask for contacts, blocked list and configuration.
        await db.Settings.SetBooleanAsync(Sync.SyncHandler.SyncRequestedKey, true, cancellationToken).ConfigureAwait(false);
        await PendingRegistration.ClearAsync(db, cancellationToken).ConfigureAwait(false);
        AccountLog.Registered(logger ?? NullLogger.Instance);

        await FinishOnlineAsync(profile, db, record, keys, cancellationToken).ConfigureAwait(false);
        return record;
    }

    private static async Task SubmitCodeAsync(RegistrationApi api, string number, string sessionId, string code, CancellationToken cancellationToken)
    {
        VerificationSession session;
        try
        {
            // A verify that failed after the code was accepted (a registration lock, a lost connection) is repeated
            // on a session that is verified already; the code may not be submitted twice.
            session = await api.GetSessionAsync(sessionId, cancellationToken).ConfigureAwait(false);
            if (!session.Verified)
            {
                session = await api.SubmitCodeAsync(sessionId, code, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (UnexpectedResponseException e) when (e.Status == 404)
        {
            throw new RegistrationNotStartedException(number, "the server no longer knows the verification session");
        }
        catch (UnexpectedResponseException e) when (e.Status is 400 or 403)
        {
            // Signal's server answers a wrong code 400/403 where the mock answers 200 with verified=false.
            throw new WrongVerificationCodeException(number);
        }

        if (!session.Verified)
        {
            throw new WrongVerificationCodeException(number);
        }
    }

    private async Task<RegistrationKeys> CreateIdentitiesAsync(AccountDatabase db, CancellationToken cancellationToken)
    {
        async Task<IdentityKeys> CreateAsync(AccountIdentity identity)
        {
            var stores = db.ProtocolStores(identity);
            var pair = IdentityKeyPair.Generate();
            var registrationId = KeyHelper.GenerateRegistrationId();
            await stores.IdentityKeys.SetLocalIdentityAsync(pair, registrationId, cancellationToken).ConfigureAwait(false);
            var upload = await PreKeyGenerator.GenerateAllAsync(stores, OneTimePreKeyCount, cancellationToken).ConfigureAwait(false);
            return new IdentityKeys(pair.IdentityKey.Serialize(), registrationId, upload);
        }

        return new RegistrationKeys(await CreateAsync(AccountIdentity.Aci).ConfigureAwait(false), await CreateAsync(AccountIdentity.Pni).ConfigureAwait(false));
    }

    /// <summary>
    /// Best effort, each step: the one-time pre-keys, and the account's first storage manifest (its profile key, so
    /// that a device linked later or a reinstall finds the account's state). A daemon start refills the keys and
    /// creates a missing manifest anyway, so a failure here only costs a warning.
    /// </summary>
    private async Task FinishOnlineAsync(ServerProfile profile, AccountDatabase db, AccountRecord record, RegistrationKeys keys, CancellationToken cancellationToken)
    {
        var log = logger ?? NullLogger.Instance;
        var chat = new ChatConnection(profile, new ChatCredentials(record.Aci.ToString(), record.DeviceId, record.Password), logger: logger);
        await using var chatDisposal = chat.ConfigureAwait(false);
        var api = new ChatApi(chat);
        try
        {
            await chat.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Service.ServiceException e)
        {
            AccountLog.PreKeysAfterRegistrationFailed(log, e.GetType().Name);
            return;
        }

        try
        {
            await api.SetPreKeysAsync(keys.Aci.Upload with { SignedPreKey = null, PqLastResortPreKey = null }, cancellationToken: cancellationToken).ConfigureAwait(false);
            await api.SetPreKeysAsync(keys.Pni.Upload with { SignedPreKey = null, PqLastResortPreKey = null }, pni: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Service.ServiceException e)
        {
            AccountLog.PreKeysAfterRegistrationFailed(log, e.GetType().Name);
        }

        try
        {
            using var http = new Service.Http.ServiceHttpClient(profile);
            var writer = new StorageWriter(api, new StorageServiceClient(http), record.MasterKey!, record.DeviceId);
            if (await writer.CreateAsync(ct => StorageSeed.LoadAsync(db, record, ct), cancellationToken).ConfigureAwait(false) is { } version)
            {
                StorageLog.Written(log, "new manifest", version, writer.Conflicts);
            }
        }
        catch (Exception e) when (e is Service.ServiceException or Api.AccountException)
        {
            StorageLog.WriteFailed(log, "new manifest", e.GetType().Name);
        }
    }

    private async Task<AccountDatabase> OpenForRegistrationAsync(string directory, string number, CancellationToken cancellationToken)
    {
        AccountDirectory.CreateParents(directory);
        var db = await AccountDatabase.OpenAsync(directory, cancellationToken).ConfigureAwait(false);
        if (await AccountRecord.LoadAsync(db, cancellationToken).ConfigureAwait(false) is not null)
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw new AccountAlreadyExistsException(number, directory);
        }

        return db;
    }

    /// <summary>
    /// The password that lets a later re-registration skip SMS; derived from the master key as Signal's apps do, so
    /// that anyone holding the master key can re-register.
    /// </summary>
    private static string RecoveryPassword(byte[] masterKey) =>
        Convert.ToBase64String(HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, salt: [], info: Encoding.UTF8.GetBytes("Registration Recovery")));

    private static bool Requests(VerificationSession session, string what) =>
        session.RequestedInformation?.Contains(what, StringComparer.OrdinalIgnoreCase) == true;

    /// <summary>signalcaptchas.org hands out <c>signalcaptcha://TOKEN</c>; the server wants the token alone.</summary>
    private static string StripCaptchaScheme(string captcha)
    {
        const string scheme = "signalcaptcha://";
        var trimmed = captcha.Trim();
        return trimmed.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? trimmed[scheme.Length..] : trimmed;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private sealed record IdentityKeys(byte[] IdentityKey, uint RegistrationId, PreKeyUpload Upload);

    private sealed record RegistrationKeys(IdentityKeys Aci, IdentityKeys Pni);
}
