namespace SignalSharp.Service.Http;

/// <summary>The gRPC methods this client can use, by the names a server profile opts into them with.</summary>
public static class GrpcMethods
{
    public const string GetUploadForm = "org.signal.chat.attachments.Attachments/GetUploadForm";

    public const string SendMultiRecipientMessage = "org.signal.chat.messages.MessagesAnonymous/SendMultiRecipientMessage";
}
