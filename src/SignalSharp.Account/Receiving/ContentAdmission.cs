using SignalSharp.Account.Proto;

namespace SignalSharp.Account.Receiving;

/// <summary>
/// Which decrypted content the account may act on at all, given how it arrived. A plaintext-content envelope has no
/// encryption and no MAC, so the server could have made it up: its only legitimate use is a resend request (a
/// DecryptionErrorMessage, sent in the clear because the session is what broke). A sync message speaks for the
/// account itself, so it must come from one of the account's own devices through a session.
/// </summary>
internal static class ContentAdmission
{
    /// <summary>Why <paramref name="content"/> must be dropped, or null when it may be handled.</summary>
    public static string? RejectionOf(DecryptedEnvelope opened, Content content, Guid ownAci)
    {
        if (!opened.Authenticated)
        {
            var resendRequestOnly = content.HasDecryptionErrorMessage
                && content.Equals(new Content { DecryptionErrorMessage = content.DecryptionErrorMessage });
            return resendRequestOnly ? null : "an unauthenticated (plaintext) envelope carries more than a resend request";
        }

        if (content.SyncMessage is not null && opened.SenderAci != ownAci)
        {
            return "a sync message from another account";
        }

        return null;
    }
}
