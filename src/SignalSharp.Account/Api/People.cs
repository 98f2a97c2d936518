namespace SignalSharp.Account.Api;

/// <summary>
/// The account's people, apart from groups: its own profile, the contact list, blocking and the account's devices.
/// Reached through <see cref="ISignalAccount.People"/>, so that front ends and stand-in accounts carry it as one piece.
/// </summary>
public interface IAccountPeople
{
    /// <summary>
    /// Writes the account's profile: the fields given replace the current ones (read from the server on first use),
    /// the rest stay. Returns the profile as now written.
    /// </summary>
    /// <exception cref="InvalidPeopleRequestException">No given name would be left, a field is too long, or what is asked is not supported.</exception>
    Task<OwnProfile> UpdateProfileAsync(ProfileUpdate update, CancellationToken cancellationToken);

    /// <summary>
    /// Blocks (or unblocks) people and groups: their messages are dropped from now on (acked, never handed out), and
    /// the account's other devices get the new blocked list.
    /// </summary>
    /// <exception cref="UnknownRecipientException">A number the account does not know.</exception>
    Task SetBlockedAsync(IReadOnlyList<RecipientAddress> people, IReadOnlyList<GroupId> groups, bool blocked, CancellationToken cancellationToken);

    /// <summary>Sets the name the user gives a contact (null or empty: none), adding them to the contact list.</summary>
    Task UpdateContactNameAsync(RecipientAddress recipient, string? name, CancellationToken cancellationToken);

    /// <summary>Takes a contact off the list; with <paramref name="forget"/> also their profile key and profile name.</summary>
    Task RemoveContactAsync(RecipientAddress recipient, bool forget, CancellationToken cancellationToken);

    /// <summary>The account's devices as the server lists them, names decrypted with the account's identity key.</summary>
    Task<IReadOnlyList<DeviceSummary>> ListDevicesAsync(CancellationToken cancellationToken);

    /// <summary>Unlinks one of the account's devices.</summary>
    Task RemoveDeviceAsync(uint deviceId, CancellationToken cancellationToken);
}

/// <summary>One device of the account; <see cref="Name"/> null when it has none or it does not decrypt.</summary>
public sealed record DeviceSummary(uint Id, string? Name, DateTimeOffset Created, DateTimeOffset LastSeen, bool IsThisDevice);

/// <summary>
/// A change of the account's own profile (signal-cli's updateProfile): null leaves a field as it is, an empty string
/// clears it (the given name cannot be cleared). <see cref="AvatarPath"/> sets a new avatar, <see cref="RemoveAvatar"/> drops it.
/// </summary>
public sealed record ProfileUpdate(string? GivenName, string? FamilyName, string? About, string? AboutEmoji)
{
    public string? AvatarPath { get; init; }

    public bool RemoveAvatar { get; init; }
}

/// <summary>The account's own profile as last written.</summary>
public sealed record OwnProfile(string GivenName, string? FamilyName, string? About, string? AboutEmoji, bool HasAvatar);

/// <summary>A request about people that cannot be carried out as asked (signal-cli's user error).</summary>
public sealed class InvalidPeopleRequestException(string reason) : AccountException(reason);
