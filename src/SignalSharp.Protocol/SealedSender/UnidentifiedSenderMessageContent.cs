using Google.Protobuf;
using SignalSharp.Protocol.Messages;
using Wire = SignalSharp.Protocol.SealedSender.Proto;

namespace SignalSharp.Protocol.SealedSender;

/// <summary>
/// The plaintext inside a sealed message: the inner message's type and bytes, the sender certificate, the
/// content hint and (for group messages) the group id. <c>{1 type, 2 sender certificate, 3 content,
/// 4 content hint (omitted when Default), 5 group id (omitted when empty)}</c>.
/// </summary>
public sealed class UnidentifiedSenderMessageContent
{
    private readonly byte[] serialized;

    public UnidentifiedSenderMessageContent(CiphertextMessageType messageType, SenderCertificate senderCertificate, ReadOnlySpan<byte> content,
        ContentHint contentHint = ContentHint.Default, ReadOnlySpan<byte> groupId = default)
    {
        var wireType = ToWire(messageType);
        MessageType = messageType;
        SenderCertificate = senderCertificate;
        Content = content.ToArray();
        ContentHint = contentHint;
        GroupId = groupId.IsEmpty ? null : groupId.ToArray();
        var body = new Wire.UnidentifiedSenderMessageBody.Types.Message
        {
            Type = wireType,
            SenderCertificate = ByteString.CopyFrom(senderCertificate.Serialize()),
            Content = ByteString.CopyFrom(Content),
        };
        if (contentHint != ContentHint.Default)
        {
            body.ContentHint = (uint)contentHint;
        }

        if (GroupId is not null)
        {
            body.GroupId = ByteString.CopyFrom(GroupId);
        }

        serialized = body.ToByteArray();
    }

    private UnidentifiedSenderMessageContent(CiphertextMessageType messageType, SenderCertificate senderCertificate, byte[] content,
        ContentHint contentHint, byte[]? groupId, byte[] serialized)
    {
        MessageType = messageType;
        SenderCertificate = senderCertificate;
        Content = content;
        ContentHint = contentHint;
        GroupId = groupId;
        this.serialized = serialized;
    }

    /// <summary>The kind of the inner message: PreKey, Whisper, SenderKey or Plaintext.</summary>
    public CiphertextMessageType MessageType { get; }

    public SenderCertificate SenderCertificate { get; }

    /// <summary>The serialized inner message (still encrypted for PreKey, Whisper and SenderKey).</summary>
    public byte[] Content { get; }

    public ContentHint ContentHint { get; }

    /// <summary>The group this message belongs to, or null.</summary>
    public byte[]? GroupId { get; }

    public byte[] Serialize() => (byte[])serialized.Clone();

    public static UnidentifiedSenderMessageContent Deserialize(ReadOnlySpan<byte> bytes)
    {
        Wire.UnidentifiedSenderMessageBody.Types.Message body;
        try
        {
            body = Wire.UnidentifiedSenderMessageBody.Types.Message.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            throw new InvalidSealedSenderMessageException("unidentified sender message content is malformed");
        }

        if (!body.HasType || !body.HasSenderCertificate || !body.HasContent)
        {
            throw new InvalidSealedSenderMessageException("unidentified sender message content lacks a required field");
        }

        return new UnidentifiedSenderMessageContent(
            FromWire(body.Type),
            SenderCertificate.Deserialize(body.SenderCertificate.Span),
            body.Content.ToByteArray(),
            body.HasContentHint ? (ContentHint)body.ContentHint : ContentHint.Default,
            body.HasGroupId && body.GroupId.Length > 0 ? body.GroupId.ToByteArray() : null,
            bytes.ToArray());
    }

    /// <summary>The USMC enum numbers PreKey as 1 where envelopes and <see cref="CiphertextMessageType"/> use 3.</summary>
    private static uint ToWire(CiphertextMessageType type) => type switch
    {
        CiphertextMessageType.PreKey => 1,
        CiphertextMessageType.Whisper => 2,
        CiphertextMessageType.SenderKey => 7,
        CiphertextMessageType.Plaintext => 8,
        _ => throw new InvalidSealedSenderMessageException($"message type {type} cannot be sealed"),
    };

    private static CiphertextMessageType FromWire(uint type) => type switch
    {
        1 => CiphertextMessageType.PreKey,
        2 => CiphertextMessageType.Whisper,
        7 => CiphertextMessageType.SenderKey,
        8 => CiphertextMessageType.Plaintext,
        _ => throw new InvalidSealedSenderMessageException($"unknown unidentified sender message type {type}"),
    };
}
