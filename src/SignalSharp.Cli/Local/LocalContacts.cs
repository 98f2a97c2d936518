using System.Text.Json.Nodes;
using SignalSharp.Cli.OneShot;

namespace SignalSharp.Cli.Local;

/// <summary>
/// `local` prints the account's contacts as the daemon knows them: asked through its control socket (listContacts,
/// as any one-shot command would) once the contact sync and the contacts' profiles arrived, each with the profile name
/// the account decrypted (or its contact-list name while the profile is not fetched yet).
/// </summary>
internal static class LocalContacts
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(500);

    /// <summary>Waits for the daemon, then for every contact's profile name (at most a minute), and prints them.</summary>
    public static async Task PrintAsync(string configDirectory, string number, Func<string, Task> progress, CancellationToken cancellationToken)
    {
        var socket = ControlSocket.PathFor(configDirectory, number);
        var request = DaemonClient.RequestLine(number, "listContacts", []);
        var deadline = DateTimeOffset.UtcNow + Patience;
        JsonArray? contacts = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (await DaemonClient.TryCallAsync(socket, request, cancellationToken).ConfigureAwait(false) is { } answer && answer["result"] is JsonArray listed)
                {
                    contacts = listed;
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or System.Text.Json.JsonException)
            {
                // The daemon is still starting (or stopping): ask again.
            }

            var complete = contacts is { Count: > 0 } && contacts.All(c => ProfileName(c) is not null);
            if (complete || (DateTimeOffset.UtcNow > deadline && contacts is not null))
            {
                break;
            }

            await Task.Delay(Pause, cancellationToken).ConfigureAwait(false);
        }

        if (contacts is null)
        {
            return;
        }

        await progress(contacts.Count == 0 ? "Contacts: none yet" : "Contacts: " + string.Join(", ", contacts.Select(c => Describe(c!)))).ConfigureAwait(false);
    }

    /// <summary>"Alice (+43…)": the profile name, else the contact-list name, else the service id.</summary>
    internal static string Describe(JsonNode contact)
    {
        var name = ProfileName(contact) ?? (string?)contact["name"] ?? "(no name yet)";
        var address = (string?)contact["number"] ?? (string?)contact["uuid"];
        return address is null ? name : $"{name} ({address})";
    }

    private static string? ProfileName(JsonNode? contact)
    {
        var profile = contact?["profile"];
        var name = string.Join(' ', new[] { (string?)profile?["givenName"], (string?)profile?["familyName"] }.Where(p => !string.IsNullOrEmpty(p)));
        return name.Length > 0 ? name : null;
    }
}
