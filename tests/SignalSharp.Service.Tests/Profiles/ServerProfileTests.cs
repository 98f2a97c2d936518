using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Service.Tests.Profiles;

public sealed class ServerProfileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("signalsharp-profile-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Production_profile_names_signal_services_and_valid_trust_material()
    {
        var production = ServerProfile.Production;
        // libsignal >= 0.97.1: HTTP/2 on grpc.chat.signal.org; then HTTP/1.1 Upgrade on chat.signal.org.
        Assert.Equal(
            [("wss://grpc.chat.signal.org/v1/websocket/", ChatHttpVersion.Http2), ("wss://chat.signal.org/v1/websocket/", ChatHttpVersion.Http11)],
            production.ChatEndpoints.Select(e => (e.ChatWebSocketUrl.ToString(), e.Http)));
        Assert.Equal("wss://grpc.chat.signal.org/v1/websocket/provisioning/", production.ProvisioningWebSocketUrl.ToString());
        Assert.False(production.MockQuirks);
        Assert.Equal([0, 2, 3], production.CdnUrls.Keys.Order());
        Assert.Equal("https://cdn3.signal.org/", production.CdnUrl(3).ToString());
        Assert.All(production.SealedSenderTrustRoots, root => Assert.Equal((33, (byte)0x05), (root.Length, root[0])));
        var trust = Assert.IsType<CustomRootTlsTrust>(production.Trust);
        Assert.False(trust.AlsoSystemRoots);
        var root = Assert.Single(trust.Roots, r => r.NotAfter.Year == 2032);
        Assert.Equal("CN=Signal Messenger, O=\"Signal Messenger, LLC\", L=Mountain View, S=California, C=US", root.Subject);
        Assert.Equal(root.Subject, root.Issuer);
        Assert.Equal(new DateTime(2032, 1, 24, 0, 45, 50, DateTimeKind.Utc), root.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Chat_endpoints_and_mock_quirks_survive_the_stored_json_form()
    {
        var copy = ServerProfile.Parse(ServerProfile.Production.ToJson(), directory);
        Assert.Equal(ServerProfile.Production.ChatEndpoints, copy.ChatEndpoints);
        var mock = ServerProfile.Parse(ServerProfile.Production.ToJson().Replace("\"name\"", "\"mockQuirks\": true, \"name\"", StringComparison.Ordinal), directory);
        Assert.True(mock.MockQuirks);
        Assert.True(ServerProfile.Parse(mock.ToJson(), directory).MockQuirks);
    }

    [Fact]
    public void Production_trust_survives_the_stored_json_form()
    {
        var copy = ServerProfile.Parse(ServerProfile.Production.ToJson(), directory);
        var trust = Assert.IsType<CustomRootTlsTrust>(copy.Trust);
        Assert.False(trust.AlsoSystemRoots);
        Assert.Equal(((CustomRootTlsTrust)ServerProfile.Production.Trust).Roots.Select(r => r.Thumbprint), trust.Roots.Select(r => r.Thumbprint));
    }

    [Fact]
    public void Production_zk_params_have_the_size_of_the_params_the_pinned_mock_uses()
    {
        // Both must be the serialized ServerPublicParams of the same zkgroup version.
        var mockParams = File.ReadAllText(Path.Combine(InteropPaths.InteropDirectory, "node_modules", "@signalapp", "mock-server", "certs", "zk-params.json"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(mockParams)!;
        var mockLength = Convert.FromBase64String(json["publicParams"]!.GetValue<string>()).Length;
        Assert.Equal(mockLength, ServerProfile.Production.ZkGroupServerPublicParams.Length);
    }

    [Fact]
    public void Load_reads_a_profile_with_a_ca_path_relative_to_the_file()
    {
        var caSource = Path.Combine(InteropPaths.InteropDirectory, "node_modules", "@signalapp", "mock-server", "certs", "ca-cert.pem");
        File.Copy(caSource, Path.Combine(directory, "ca.pem"));
        var path = Path.Combine(directory, "local.json");
        File.WriteAllText(path, """
            {
              // comments and trailing commas are fine
              "chatUrl": "https://127.0.0.1:4433",
              "cdnUrls": { "0": "https://127.0.0.1:4433", "3": "https://127.0.0.1:4433/cdn3/", },
              "caCertificatePath": "ca.pem",
              "trustRoot": "BZ8zqn+/bbZcpoKqnvkHXvoTI+n9o/Iuc9kpVog2ZEYs",
              "serverPublicParams": "AAEC",
            }
            """);

        var profile = ServerProfile.Load(path);
        Assert.Equal("local", profile.Name);
        Assert.Equal("wss://127.0.0.1:4433/v1/websocket/", profile.ChatWebSocketUrl.ToString());
        Assert.Equal("https://127.0.0.1:4433/storageService", profile.StorageUrl.ToString());
        Assert.Equal("https://127.0.0.1:4433/cdn3/", profile.CdnUrl(3).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => profile.CdnUrl(2));
        Assert.Equal(Convert.FromBase64String("BZ8zqn+/bbZcpoKqnvkHXvoTI+n9o/Iuc9kpVog2ZEYs"), Assert.Single(profile.SealedSenderTrustRoots));
        Assert.Equal([0, 1, 2], profile.ZkGroupServerPublicParams);
        Assert.IsNotType(TlsTrust.System.GetType(), profile.Trust);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("""{"trustRoot":"BZ8zqn+/bbZcpoKqnvkHXvoTI+n9o/Iuc9kpVog2ZEYs","serverPublicParams":"AA=="}""", "chatUrl")]
    [InlineData("""{"chatUrl":"ftp://x","trustRoot":"BZ8zqn+/bbZcpoKqnvkHXvoTI+n9o/Iuc9kpVog2ZEYs","serverPublicParams":"AA=="}""", "chatUrl")]
    [InlineData("""{"chatUrl":"https://x","serverPublicParams":"AA=="}""", "trustRoots")]
    [InlineData("""{"chatUrl":"https://x","trustRoot":"AAAA","serverPublicParams":"AA=="}""", "33-byte")]
    [InlineData("""{"chatUrl":"https://x","trustRoot":"BZ8zqn+/bbZcpoKqnvkHXvoTI+n9o/Iuc9kpVog2ZEYs"}""", "serverPublicParams")]
    [InlineData("""{"chatUrl":"https://x","trustRoot":"BZ8zqn+/bbZcpoKqnvkHXvoTI+n9o/Iuc9kpVog2ZEYs","serverPublicParams":"AA==","caCertificatePath":"missing.pem"}""", "CA certificate")]
    [InlineData("""{"chatUrl":"https://x","trustRoot":"BZ8zqn+/bbZcpoKqnvkHXvoTI+n9o/Iuc9kpVog2ZEYs","serverPublicParams":"AA==","cdnUrls":{"x":"https://y"}}""", "CDN number")]
    public void Invalid_profiles_are_rejected_with_the_reason(string json, string reason)
    {
        var path = Path.Combine(directory, "bad.json");
        File.WriteAllText(path, json);
        var error = Assert.Throws<ServerProfileException>(() => ServerProfile.Load(path));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void ToJson_round_trips_every_field_including_an_embedded_ca()
    {
        var caSource = Path.Combine(InteropPaths.InteropDirectory, "node_modules", "@signalapp", "mock-server", "certs", "ca-cert.pem");
        var original = ServerProfile.Production with { Name = "copy", Trust = TlsTrust.FromPem(File.ReadAllText(caSource)) };
        var copy = ServerProfile.Parse(original.ToJson(), directory);

        Assert.Equal(original.Name, copy.Name);
        Assert.Equal(original.ChatUrl, copy.ChatUrl);
        Assert.Equal(original.StorageUrl, copy.StorageUrl);
        Assert.Equal(original.CdnUrls.OrderBy(e => e.Key), copy.CdnUrls.OrderBy(e => e.Key));
        Assert.Equal(original.SealedSenderTrustRoots, copy.SealedSenderTrustRoots);
        Assert.Equal(original.ZkGroupServerPublicParams, copy.ZkGroupServerPublicParams);
        var roots = Assert.IsType<CustomRootTlsTrust>(copy.Trust).Roots;
        Assert.Equal("Signal Mock CA", Assert.Single(roots).GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false));

        var system = ServerProfile.Parse(ServerProfile.Production.ToJson().Replace("\"caCertificatePem\"", "\"unused\"", StringComparison.Ordinal), directory);
        Assert.Same(TlsTrust.System, system.Trust);
    }

    [Fact]
    public void A_missing_file_is_a_profile_error()
    {
        Assert.Throws<ServerProfileException>(() => ServerProfile.Load(Path.Combine(directory, "nope.json")));
    }
}
