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

    /// <summary>
    /// Links a new device to this primary account (signal-cli's addDevice) from the <c>sgnl://linkdevice?uuid=…&amp;pub_key=…</c>
    /// URI the new device shows: it receives the account's keys and links itself.
    /// </summary>
    /// <exception cref="InvalidPeopleRequestException">This is not the primary device, the URI is malformed, or the new device stopped waiting.</exception>
    Task AddDeviceAsync(string linkUri, CancellationToken cancellationToken);

    /// <summary>
    /// Renames this device (signal-cli's <c>updateAccount --device-name</c>): the name, encrypted to the account's
    /// identity key, replaces the one the server keeps, which the account's other devices show.
    /// </summary>
    /// <exception cref="InvalidPeopleRequestException">An empty name or one longer than the format allows.</exception>
    Task SetDeviceNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>Sends the contact list to the account's other devices (a complete contact sync); nothing when the list is empty.</summary>
    Task SendContactsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Whether each recipient is a registered Signal user (signal-cli's getUserStatus), in the order asked.
    /// </summary>
    /// <exception cref="DirectoryLookupUnavailableException">A phone number the account does not know (there is no directory lookup).</exception>
    Task<IReadOnlyList<UserStatus>> GetUserStatusAsync(IReadOnlyList<RecipientAddress> recipients, CancellationToken cancellationToken);

    /// <summary>
    /// A stored avatar image (signal-cli's getAvatar): a contact's profile avatar or a group's, as last downloaded and
    /// decrypted. Contact-list avatars (the phone's contact sync) are not kept.
    /// </summary>
    /// <exception cref="AvatarNotFoundException">No such avatar is stored.</exception>
    Task<byte[]> GetAvatarAsync(AvatarSource source, CancellationToken cancellationToken);

    /// <summary>
    /// Tells the account's other devices how the user answered the message requests of these people and groups
    /// (signal-cli's sendMessageRequestResponse): one sync message each, so that the phone accepts or deletes the
    /// conversation too.
    /// </summary>
    /// <exception cref="UnknownRecipientException">A number the account does not know.</exception>
    Task SendMessageRequestResponseAsync(IReadOnlyList<RecipientAddress> people, IReadOnlyList<GroupId> groups, MessageRequestResponse response,
        CancellationToken cancellationToken);
}

/// <summary>An answer to a message request, as signal-cli offers them (its <c>--type</c>), with the wire's values.</summary>
public enum MessageRequestResponse
{
    Accept = 1,
    Delete = 2,
}

/// <summary>Whose avatar getAvatar reads: signal-cli's <c>contact</c>, <c>profile</c> or <c>groupId</c>.</summary>
public abstract record AvatarSource
{
    private AvatarSource()
    {
    }

    /// <summary>The avatar the phone's contact list gives someone.</summary>
    public sealed record Contact(RecipientAddress Recipient) : AvatarSource;

    /// <summary>The avatar someone's profile names.</summary>
    public sealed record Profile(RecipientAddress Recipient) : AvatarSource;

    public sealed record Group(GroupId Id) : AvatarSource;
}

/// <summary>No avatar is stored for what getAvatar asked (signal-cli's "Could not find avatar").</summary>
public sealed class AvatarNotFoundException() : AccountException("Could not find avatar");

/// <summary>
/// One answer of <see cref="IAccountPeople.GetUserStatusAsync"/>: the recipient as asked, its number when known, and
/// its ACI when registered (null otherwise).
/// </summary>
public sealed record UserStatus(RecipientAddress Recipient, string? Number, Guid? Aci, bool IsRegistered);

/// <summary>
/// Phone numbers whose registration cannot be looked up: SignalSharp has no directory (CDSI) client, and these numbers
/// are not among those the account learned from contacts, storage or messages.
/// </summary>
public sealed class DirectoryLookupUnavailableException(IReadOnlyList<string> numbers)
    : AccountException($"Cannot look up {string.Join(", ", numbers)}: SignalSharp has no directory (CDSI) lookup, only numbers this account already knows are checked")
{
    public IReadOnlyList<string> Numbers { get; } = numbers;
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

    /// <summary>
    /// Writes the profile under a new random profile key (our extension; signal-cli has none): contacts learn the key
    /// from the next messages, the groups the account is in from a profile key change, its other devices from the
    /// storage service. Whoever held only the old key can no longer read the new profile.
    /// </summary>
    public bool RotateProfileKey { get; init; }
}

/// <summary>The account's own profile as last written.</summary>
public sealed record OwnProfile(string GivenName, string? FamilyName, string? About, string? AboutEmoji, bool HasAvatar);

/// <summary>A request about people that cannot be carried out as asked (signal-cli's user error).</summary>
public sealed class InvalidPeopleRequestException(string reason) : AccountException(reason);
