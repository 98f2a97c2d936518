using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SignalSharp.Crypto;
using SignalSharp.Interop.Testing;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Protocol.Storage;

namespace SignalSharp.Bench.Protocol;

/// <summary>
/// Sealed sender against libsignal in the same run: C# timed here, libsignal timed inside node (no JSON or process
/// hop in its figure). `dotnet run -c Release --project bench/SignalSharp.Bench -- sealed [iterations]`.
/// Cases: v1 seal+open of a sender-key USMC; a sender-key message sealed (v2) for 100 recipients; opening one
/// recipient's v2 message.
/// </summary>
internal static class SealedSenderLoad
{
    private const int Recipients = 100;

    public static async Task RunAsync(string[] args)
    {
        var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        await using var oracle = await NodeOracle.StartAsync();
        var root = ECKeyPair.Generate();
        var server = ECKeyPair.Generate();
        var serverCertificate = ServerCertificate.Create(1, server.PublicKey, root.PrivateKey);

        // Sender: one C# identity mirrored by a node member holding the same private key.
        var senderPair = IdentityKeyPair.Generate();
        var senderAddress = new ProtocolAddress(Guid.NewGuid().ToString(), 1);
        var senderIdentities = new InMemoryIdentityKeyStore(senderPair, 1234);
        var certificate = SenderCertificate.Create(senderAddress.Name, null, 1, senderPair.PublicKey, ulong.MaxValue, serverCertificate, server.PrivateKey);
        var senderId = await NewMemberAsync(oracle, senderAddress, senderPair.PrivateKey, 1234);

        // Recipient of the v1 case, on both sides.
        var recipientPair = IdentityKeyPair.Generate();
        var recipientAddress = new ProtocolAddress(Guid.NewGuid().ToString(), 1);
        var recipientIdentities = new InMemoryIdentityKeyStore(recipientPair, 4321);
        await senderIdentities.SaveIdentityAsync(recipientAddress, recipientPair.IdentityKey);
        var recipientId = await NewMemberAsync(oracle, recipientAddress, recipientPair.PrivateKey, 4321);
        await oracle.CallAsync("sealed.member.trust", new JsonObject { ["id"] = senderId, ["address"] = Json(recipientAddress), ["identityKey"] = B64(recipientPair.PublicKey.Serialize()) });

        var distributionId = Guid.NewGuid();
        var senderKeys = new InMemorySenderKeyStore();
        await new GroupSessionBuilder(senderKeys).CreateAsync(senderAddress, distributionId);
        await oracle.CallAsync("sealed.sk.create", new JsonObject { ["id"] = senderId, ["distributionId"] = distributionId.ToString() });
        var groupCipher = new GroupCipher(senderKeys);
        var plaintext = new byte[159];
        var usmc = new UnidentifiedSenderMessageContent(CiphertextMessageType.SenderKey, certificate,
            (await groupCipher.EncryptAsync(senderAddress, distributionId, plaintext)).Serialize(), ContentHint.Resendable);

        var senderCipher = new SealedSenderCipher(senderIdentities);
        var recipientCipher = new SealedSenderCipher(recipientIdentities);
        var v1 = await TimeAsync(iterations, async () =>
        {
            var sealedBytes = await senderCipher.EncryptAsync(recipientAddress, usmc);
            await recipientCipher.DecryptToUsmcAsync(sealedBytes);
        });
        var v1Node = await NodeMicrosAsync(oracle, "sealed.bench.v1", new JsonObject
        {
            ["id"] = senderId, ["recipientId"] = recipientId, ["usmc"] = B64(usmc.Serialize()), ["iterations"] = iterations,
        });

        // 100 recipients, each with a node session on the node side and its registration id on the C# side.
        var recipients = new List<SealedSenderV2Recipient>();
        var addresses = new JsonArray();
        for (var i = 0; i < Recipients; i++)
        {
            var pair = IdentityKeyPair.Generate();
            var address = new ProtocolAddress(Guid.NewGuid().ToString(), 1);
            var registrationId = (uint)(1 + i);
            var memberId = await NewMemberAsync(oracle, address, pair.PrivateKey, registrationId);
            var bundle = await oracle.CallAsync("sealed.member.bundle", new JsonObject { ["id"] = memberId });
            await oracle.CallAsync("sealed.member.processBundle", new JsonObject { ["id"] = senderId, ["remote"] = Json(address), ["bundle"] = bundle!.DeepClone() });
            recipients.Add(new SealedSenderV2Recipient(address.Name, pair.PublicKey, [(1u, registrationId)]));
            addresses.Add(Json(address));
            if (i == 0)
            {
                recipientIdentities = new InMemoryIdentityKeyStore(pair, registrationId);
            }
        }

        var v2Iterations = Math.Max(20, iterations / 10);
        byte[] lastSent = [];
        var v2 = await TimeAsync(v2Iterations, async () =>
        {
            var message = await groupCipher.EncryptAsync(senderAddress, distributionId, plaintext);
            var content = new UnidentifiedSenderMessageContent(CiphertextMessageType.SenderKey, certificate, message.Serialize(), ContentHint.Resendable);
            lastSent = await senderCipher.MultiRecipientEncryptAsync(recipients, content);
        });
        var v2Node = await NodeMicrosAsync(oracle, "sealed.bench.v2", new JsonObject
        {
            ["id"] = senderId, ["distributionId"] = distributionId.ToString(), ["plaintext"] = B64(plaintext),
            ["senderCertificate"] = B64(certificate.Serialize()), ["recipients"] = addresses, ["iterations"] = v2Iterations,
        });

        var split = (await oracle.CallAsync("sealed.v2.split", new JsonObject { ["sent"] = B64(lastSent) }))!;
        var received = Convert.FromBase64String(split["recipients"]![recipients[0].ServiceId]!["message"]!.GetValue<string>());
        var firstRecipient = new SealedSenderCipher(recipientIdentities);
        var open = await TimeAsync(iterations, () => firstRecipient.DecryptToUsmcAsync(received));

        Console.WriteLine($"sealed sender, {iterations} iterations (v2 encrypt: {v2Iterations}); mean µs per operation");
        Console.WriteLine($"{"case",-48} {"C#",10} {"libsignal",10} {"C#/libsignal",13}");
        Report("v1 seal + open (sender-key USMC, 159 B)", v1, v1Node);
        Report($"v2 group encrypt + seal for {Recipients} recipients", v2, v2Node);
        Console.WriteLine($"{"v2 open one recipient's 0x22 (C# only)",-48} {open,10:F1}");
        Console.WriteLine($"{"v2 SentMessage size (bytes)",-48} {lastSent.Length,10}");
    }

    private static void Report(string name, double csharp, double node) =>
        Console.WriteLine($"{name,-48} {csharp,10:F1} {node,10:F1} {csharp / node,13:F2}");

    private static async Task<double> TimeAsync(int iterations, Func<Task> operation)
    {
        for (var i = 0; i < Math.Max(10, iterations / 10); i++)
        {
            await operation();
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            await operation();
        }

        return watch.Elapsed.TotalMicroseconds / iterations;
    }

    private static async Task<double> NodeMicrosAsync(NodeOracle oracle, string op, JsonObject args)
    {
        var warm = (JsonObject)args.DeepClone();
        warm["iterations"] = Math.Max(10, args["iterations"]!.GetValue<int>() / 10);
        await oracle.CallAsync(op, warm);
        return (await oracle.CallAsync(op, args))!.GetValue<double>();
    }

    private static async Task<string> NewMemberAsync(NodeOracle oracle, ProtocolAddress address, ECPrivateKey identity, uint registrationId)
    {
        var id = Guid.NewGuid().ToString("N");
        await oracle.CallAsync("sealed.member.new", new JsonObject
        {
            ["id"] = id, ["name"] = address.Name, ["device"] = address.DeviceId, ["identityPrivate"] = B64(identity.Serialize()), ["registrationId"] = registrationId,
        });
        return id;
    }

    private static JsonObject Json(ProtocolAddress address) => new() { ["name"] = address.Name, ["device"] = address.DeviceId };

    private static string B64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes);
}
