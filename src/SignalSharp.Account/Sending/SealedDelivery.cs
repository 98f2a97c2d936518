using SignalSharp.Protocol.SealedSender;
using SignalSharp.Service.Api;

namespace SignalSharp.Account.Sending;

/// <summary>
/// What a sealed-sender send needs: the unauthenticated connection's API, the recipient's access key and our
/// sender certificate. The server learns the recipient but not the sender.
/// </summary>
internal sealed record SealedDelivery(ChatApi UnauthenticatedApi, byte[] AccessKey, SenderCertificate Certificate);
