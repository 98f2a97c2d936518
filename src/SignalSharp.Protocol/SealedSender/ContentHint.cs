namespace SignalSharp.Protocol.SealedSender;

/// <summary>
/// What the recipient should do if it cannot decrypt the content: Default (show an error), Resendable (ask the
/// sender to resend, quietly), Implicit (ignore). Values outside these are kept as they are.
/// </summary>
public enum ContentHint : uint
{
    Default = 0,
    Resendable = 1,
    Implicit = 2,
}
