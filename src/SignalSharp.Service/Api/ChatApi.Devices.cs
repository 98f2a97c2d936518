using System.Globalization;
using SignalSharp.Service.Transport;

namespace SignalSharp.Service.Api;

/// <summary>
/// The account's device list (<c>GET /v1/devices</c>, <c>DELETE /v1/devices/{id}</c>, device names) and linking a new
/// device from the primary (a provisioning code, then the encrypted provision message to the new device's socket).
/// </summary>
public sealed partial class ChatApi
{
    public async Task<IReadOnlyList<DeviceInfo>> GetDevicesAsync(CancellationToken cancellationToken = default)
    {
        var response = await Connection.SendAsync(WebSocketRequest.Get("/v1/devices"), cancellationToken).ConfigureAwait(false);
        return Read(response, "GET /v1/devices", Json.DeviceListBody).Devices ?? [];
    }

    /// <summary>Unlinks device <paramref name="deviceId"/> of the account (the server refuses the primary and unknown ids).</summary>
    public async Task RemoveDeviceAsync(uint deviceId, CancellationToken cancellationToken = default)
    {
        var route = "/v1/devices/" + deviceId.ToString(CultureInfo.InvariantCulture);
        var response = await Connection.SendAsync(new WebSocketRequest("DELETE", route), cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, "DELETE " + route);
    }

    /// <summary>
    /// <c>PUT /v1/accounts/name?deviceId=N</c>: replaces the name of device <paramref name="deviceId"/> with
    /// <paramref name="encryptedName"/> (a DeviceName message encrypted to the account's ACI identity key).
    /// </summary>
    public async Task SetDeviceNameAsync(uint deviceId, byte[] encryptedName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encryptedName);
        var route = "/v1/accounts/name?deviceId=" + deviceId.ToString(CultureInfo.InvariantCulture);
        var request = WebSocketRequest.Json("PUT", route, new DeviceNameBody(encryptedName), Json.DeviceNameBody);
        var response = await Connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, "PUT /v1/accounts/name");
    }

    /// <summary>
    /// <c>GET /v1/devices/provisioning/code</c>: a one-time code with which a new device links to the account (only
    /// the primary device gets one).
    /// </summary>
    public async Task<string> GetProvisioningCodeAsync(CancellationToken cancellationToken = default)
    {
        const string Route = "GET /v1/devices/provisioning/code";
        var response = await Connection.SendAsync(WebSocketRequest.Get("/v1/devices/provisioning/code"), cancellationToken).ConfigureAwait(false);
        return Read(response, Route, Json.ProvisioningCodeBody).VerificationCode is { Length: > 0 } code
            ? code
            : throw new ServiceProtocolException(Route + ": no verification code");
    }

    /// <summary>
    /// <c>PUT /v1/provisioning/{destination}</c>: hands a serialized ProvisionEnvelope to the new device waiting on the
    /// provisioning socket with that address (the server answers 404 when no such socket is open any more).
    /// </summary>
    public async Task SendProvisioningMessageAsync(string destination, byte[] envelope, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        ArgumentNullException.ThrowIfNull(envelope);
        var route = "/v1/provisioning/" + Uri.EscapeDataString(destination);
        var request = WebSocketRequest.Json("PUT", route, new ProvisioningMessageBody(envelope), Json.ProvisioningMessageBody);
        var response = await Connection.SendAsync(request, cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, "PUT /v1/provisioning/{destination}");
    }
}

internal sealed record ProvisioningCodeBody(string? VerificationCode);

internal sealed record ProvisioningMessageBody(byte[] Body);

internal sealed record DeviceNameBody(byte[] DeviceName);

/// <summary>
/// One device of the account as the server lists it. <see cref="Name"/> is the device name encrypted to the account's
/// ACI identity key (a DeviceName message); times are milliseconds since the epoch.
/// </summary>
public sealed record DeviceInfo(uint Id, byte[]? Name, long Created, long LastSeen);

internal sealed record DeviceListBody(IReadOnlyList<DeviceInfo>? Devices);
