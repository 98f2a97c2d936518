using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SignalSharp.Crypto;
using SignalSharp.Interop.Testing;
using SignalSharp.Protocol;
using SignalSharp.Protocol.Messages;
using SignalSharp.Protocol.SealedSender;
using SignalSharp.Protocol.SenderKeys;
using SignalSharp.Protocol.Sessions;
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
        var v1 = await CompareAsync(oracle, iterations, async () =>
        {
            var sealedBytes = await senderCipher.EncryptAsync(recipientAddress, usmc);
            await recipientCipher.DecryptToUsmcAsync(sealedBytes);
        }, "sealed.bench.v1", new JsonObject { ["id"] = senderId, ["recipientId"] = recipientId, ["usmc"] = B64(usmc.Serialize()) });

        // 100 recipients; both senders hold a real session with each (C# built its own by PQXDH from a node bundle),
        // so both read 100 registration ids out of stored session records per send.
        var sessions = new InMemorySessionStore();
        var builder = new SessionBuilder(sessions, senderIdentities, senderAddress);
        var sessionCipher = new SealedSessionCipher(sessions, senderIdentities, new InMemoryPreKeyStore(), new InMemorySignedPreKeyStore(),
            new InMemoryKyberPreKeyStore(), senderKeys, senderAddress);
        var recipients = new List<SealedSenderV2Recipient>();
        var recipientAddresses = new List<ProtocolAddress>();
        var recipientIds = new List<string>();
        var addresses = new JsonArray();
        for (var i = 0; i < Recipients; i++)
        {
            var pair = IdentityKeyPair.Generate();
            var address = new ProtocolAddress(Guid.NewGuid().ToString(), 1);
            var registrationId = (uint)(1 + i);
            var memberId = await NewMemberAsync(oracle, address, pair.PrivateKey, registrationId);
            var bundle = await oracle.CallAsync("sealed.member.bundle", new JsonObject { ["id"] = memberId });
            await oracle.CallAsync("sealed.member.processBundle", new JsonObject { ["id"] = senderId, ["remote"] = Json(address), ["bundle"] = bundle!.DeepClone() });
            await builder.ProcessPreKeyBundleAsync(address, ToBundle(bundle));
            recipientAddresses.Add(address);
            recipientIds.Add(memberId);
            recipients.Add(new SealedSenderV2Recipient(address.Name, pair.PublicKey, [(1u, registrationId)]));
            addresses.Add(Json(address));
            if (i == 0)
            {
                recipientIdentities = new InMemoryIdentityKeyStore(pair, registrationId);
            }
        }

        var v2Iterations = Math.Max(20, iterations / 10);
        byte[] lastSent = [];
        var v2 = await CompareAsync(oracle, v2Iterations, async () =>
        {
            var message = await groupCipher.EncryptAsync(senderAddress, distributionId, plaintext);
            var content = new UnidentifiedSenderMessageContent(CiphertextMessageType.SenderKey, certificate, message.Serialize(), ContentHint.Resendable);
            lastSent = await sessionCipher.MultiRecipientEncryptAsync(recipientAddresses, content);
        }, "sealed.bench.v2", new JsonObject
        {
            ["id"] = senderId, ["distributionId"] = distributionId.ToString(), ["plaintext"] = B64(plaintext),
            ["senderCertificate"] = B64(certificate.Serialize()), ["recipients"] = addresses,
        });

        var split = (await oracle.CallAsync("sealed.v2.split", new JsonObject { ["sent"] = B64(lastSent) }))!;
        var received = Convert.FromBase64String(split["recipients"]![recipients[0].ServiceId]!["message"]!.GetValue<string>());
        var firstRecipient = new SealedSenderCipher(recipientIdentities);
        var open = await CompareAsync(oracle, iterations, () => firstRecipient.DecryptToUsmcAsync(received),
            "sealed.bench.open", new JsonObject { ["id"] = recipientIds[0], ["message"] = B64(received) });
        var ours = ECKeyPair.Generate().PrivateKey;
        var theirs = ECKeyPair.Generate().PublicKey;
        var agree = await CompareAsync(oracle, iterations, () =>
        {
            ours.CalculateAgreement(theirs);
            return Task.CompletedTask;
        }, "sealed.bench.agree", new JsonObject());

        Console.WriteLine($"sealed sender, {iterations} iterations (v2 encrypt: {v2Iterations}); mean µs per operation");
        Console.WriteLine($"{"case",-48} {"C#",10} {"libsignal",10} {"C#/libsignal",13}");
        Report("v1 seal + open (sender-key USMC, 159 B)", v1);
        Report($"v2 group encrypt + seal for {Recipients} recipients", v2);
        Report("v2 open one recipient's 0x22 message", open);
        Report("(for scale) one X25519 agreement", agree);
        Console.WriteLine($"{"v2 SentMessage size (bytes)",-48} {lastSent.Length,10}");
    }

    private static void Report(string name, (double CSharp, double Node) result) =>
        Console.WriteLine($"{name,-48} {result.CSharp,10:F1} {result.Node,10:F1} {result.CSharp / result.Node,13:F2}");

    /// <summary>
    /// Times the C# operation and the libsignal one in alternating rounds and keeps each side's median, so that a
    /// burst of load on this shared machine hits both sides alike instead of skewing the ratio.
    /// </summary>
    private static async Task<(double CSharp, double Node)> CompareAsync(NodeOracle oracle, int iterations, Func<Task> operation, string op, JsonObject args)
    {
        const int Rounds = 7;
        var perRound = Math.Max(3, iterations / Rounds);
        await TimeAsync(perRound, operation);
        var warm = (JsonObject)args.DeepClone();
        warm["iterations"] = perRound;
        await oracle.CallAsync(op, warm);
        var csharp = new List<double>();
        var node = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            csharp.Add(await TimeAsync(perRound, operation, warmup: false));
            var call = (JsonObject)args.DeepClone();
            call["iterations"] = perRound;
            node.Add((await oracle.CallAsync(op, call))!.GetValue<double>());
        }

        return (Median(csharp), Median(node));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static async Task<double> TimeAsync(int iterations, Func<Task> operation, bool warmup = true)
    {
        // Warm up by time rather than count: on a loaded machine the tiered JIT needs a while to replace the
        // quick (unoptimised) code of the curve arithmetic, and measuring before that would mostly time the JIT.
        var warming = Stopwatch.StartNew();
        for (var i = 0; warmup && (i < 10 || warming.Elapsed < TimeSpan.FromSeconds(3)); i++)
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

    private static async Task<string> NewMemberAsync(NodeOracle oracle, ProtocolAddress address, ECPrivateKey identity, uint registrationId)
    {
        var id = Guid.NewGuid().ToString("N");
        await oracle.CallAsync("sealed.member.new", new JsonObject
        {
            ["id"] = id, ["name"] = address.Name, ["device"] = address.DeviceId, ["identityPrivate"] = B64(identity.Serialize()), ["registrationId"] = registrationId,
        });
        return id;
    }

    private static PreKeyBundle ToBundle(JsonNode b)
    {
        byte[] Bytes(string key) => Convert.FromBase64String(b[key]!.GetValue<string>());
        return new PreKeyBundle(
            b["registrationId"]!.GetValue<uint>(), b["deviceId"]!.GetValue<uint>(), b["preKeyId"]!.GetValue<uint>(), ECPublicKey.Deserialize(Bytes("preKey")),
            b["signedPreKeyId"]!.GetValue<uint>(), ECPublicKey.Deserialize(Bytes("signedPreKey")), Bytes("signedPreKeySignature"),
            IdentityKey.Deserialize(Bytes("identityKey")), b["kyberPreKeyId"]!.GetValue<uint>(), KemPublicKey.Deserialize(Bytes("kyberPreKey")),
            Bytes("kyberPreKeySignature"));
    }

    private static JsonObject Json(ProtocolAddress address) => new() { ["name"] = address.Name, ["device"] = address.DeviceId };

    private static string B64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes);
}
