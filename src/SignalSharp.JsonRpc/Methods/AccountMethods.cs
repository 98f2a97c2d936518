using System.Text.Json.Nodes;
using SignalSharp.Account.Api;
using SignalSharp.JsonRpc.Dispatch;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Methods;

/// <summary>signal-cli's methods about the account itself and its standing: updateAccount, sendContacts, getUserStatus.</summary>
internal sealed class AccountMethods(ISignalAccount account)
{
    /// <summary>
    /// The updateAccount options SignalSharp does not carry out: the account attributes the server keeps for the whole
    /// account and the username. Named in a user error rather than pretended.
    /// </summary>
    private static readonly string[] UnsupportedAccountOptions =
        ["unrestrictedUnidentifiedSender", "discoverableByNumber", "numberSharing", "username"];

    /// <summary>
    /// updateAccount: deviceName renames this device; signal-cli answers an empty result (a username would give
    /// {username, usernameLink}, which SignalSharp does not set). Nothing is changed when an option is refused.
    /// </summary>
    public async Task<MethodResult> UpdateAccountAsync(JsonRpcCall call)
    {
        var parameters = call.Params;
        var refused = UnsupportedAccountOptions.Where(parameters.Has).ToList();
        if (parameters.IsSet("deleteUsername"))
        {
            refused.Add("deleteUsername");
        }

        if (refused.Count > 0)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.UserError,
                $"The updateAccount option{(refused.Count > 1 ? "s" : "")} {string.Join(", ", refused)} {(refused.Count > 1 ? "are" : "is")} not supported by SignalSharp "
                + "(it changes neither the account's attributes on the server nor its username; deviceName is supported)");
        }

        if (parameters.GetString("deviceName") is { } name)
        {
            await account.People.SetDeviceNameAsync(name, call.CancellationToken).ConfigureAwait(false);
        }

        return new MethodResult(new JsonObject());
    }

    /// <summary>sendContacts: the contact list to the account's other devices; an empty result.</summary>
    public async Task<MethodResult> SendContactsAsync(JsonRpcCall call)
    {
        await account.People.SendContactsAsync(call.CancellationToken).ConfigureAwait(false);
        return new MethodResult(new JsonObject());
    }

    /// <summary>
    /// getUserStatus: recipient (a list) → signal-cli's JsonUserStatus list, {recipient, number, uuid, isRegistered}
    /// (number left out when unknown, uuid null when not registered). A recipient that is neither a number nor a
    /// service id is not registered, as signal-cli answers it.
    /// </summary>
    public async Task<MethodResult> GetUserStatusAsync(JsonRpcCall call)
    {
        if (call.Params.GetStringList("username").Count > 0)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.UserError, "getUserStatus by username is not supported by SignalSharp");
        }

        var asked = call.Params.GetStringList("recipient");
        var valid = new List<(string Text, RecipientAddress Address)>();
        foreach (var text in asked.Distinct(StringComparer.Ordinal))
        {
            if (RecipientAddress.TryParse(text, out var address))
            {
                valid.Add((text, address.Value));
            }
        }

        var statuses = valid.Count == 0
            ? []
            : await account.People.GetUserStatusAsync([.. valid.Select(v => v.Address)], call.CancellationToken).ConfigureAwait(false);
        var list = new JsonArray();
        foreach (var text in asked.Distinct(StringComparer.Ordinal))
        {
            var index = valid.FindIndex(v => v.Text == text);
            var status = index < 0 ? null : statuses[index];
            var entry = new JsonObject { ["recipient"] = text };
            if (status?.Number is { } number)
            {
                entry["number"] = number;
            }

            entry["uuid"] = status?.Aci?.ToString();
            entry["isRegistered"] = status?.IsRegistered ?? false;
            list.Add((JsonNode)entry);
        }

        return new MethodResult(list);
    }
}
