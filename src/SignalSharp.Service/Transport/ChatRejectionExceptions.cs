namespace SignalSharp.Service.Transport;

/// <summary>
/// The server no longer accepts this device: HTTP 403 on the WebSocket upgrade (bad or unlinked credentials), also
/// after a 4401 close. Reconnecting cannot help; the device must be linked again.
/// </summary>
public sealed class DeviceDeregisteredException(string message)
    : ServiceException(message);

/// <summary>
/// The server refuses this client: HTTP 499 on the upgrade (an expired client version or a missing capability).
/// Reconnecting cannot help; a newer SignalSharp (or linking again) is needed.
/// </summary>
public sealed class ClientRejectedException(string message)
    : ServiceException(message);
