using System.Diagnostics;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Service.Tests.Profiles;

/// <summary>
/// Issue 12 item 7: Signal's Ed25519 root (pinned by libsignal in June 2026) is trusted for chat and storage, and an
/// Ed25519 chain (CA and leaf made by openssl here) validates on this OS, both as a chain and in a real TLS handshake
/// with a Node HTTPS server presenting it.
/// </summary>
public sealed class Ed25519TrustTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("signalsharp-ed25519-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Production_trusts_both_Signal_roots_for_chat_and_storage_and_public_roots_for_CDNs_only()
    {
        var production = ServerProfile.Production;
        var roots = Assert.IsType<CustomRootTlsTrust>(production.Trust);
        Assert.False(roots.AlsoSystemRoots);
        var ed25519 = Assert.Single(roots.Roots, r => r.NotAfter.Year == 2036);
        Assert.Equal("1.3.101.112", ed25519.PublicKey.Oid.Value); // id-Ed25519
        Assert.Equal("CN=Signal Messenger, O=\"Signal Messenger, LLC\", L=Mountain View, S=California, C=US", ed25519.Subject);
        Assert.Equal("2642F1F90B389FED2558D7324CA26D70E750B06F87C595C5DE955E2560821657", ed25519.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
        Assert.Same(roots, production.TrustFor("grpc.chat.signal.org"));
        Assert.Same(roots, production.TrustFor("chat.signal.org"));
        Assert.Same(roots, production.TrustFor("storage.signal.org"));
        Assert.Same(TlsTrust.System, production.TrustFor("cdn3.signal.org"));
        Assert.Same(TlsTrust.System, ServerProfile.Parse(production.ToJson(), directory).TrustFor("cdn2.signal.org"));
    }

    [Fact]
    public async Task An_Ed25519_chain_validates_against_its_root_and_not_against_another()
    {
        var (caPem, leafPem, _) = await MakeChainAsync("a");
        var (otherCaPem, _, _) = await MakeChainAsync("b");
        using var leaf = X509Certificate2.CreateFromPem(leafPem);

        Assert.True(TlsTrust.FromPem(caPem).Validate(leaf, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(TlsTrust.FromPem(otherCaPem).Validate(leaf, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public async Task A_TLS_server_with_an_Ed25519_chain_is_accepted_by_the_service_handler()
    {
        var (caPem, _, paths) = await MakeChainAsync("tls");
        using var server = NodeTlsServer.Start(paths);
        var profile = ServedAt(server.Port, caPem);
        using var http = new HttpClient(SignalSharp.Service.Transport.ServiceHttpHandler.Create(profile));
        Assert.Equal("ed25519 ok", await http.GetStringAsync(new Uri($"https://127.0.0.1:{server.Port}/")));

        using var strict = new HttpClient(SignalSharp.Service.Transport.ServiceHttpHandler.Create(ServerProfile.Production with { ChatUrl = profile.ChatUrl, ChatEndpoints = [] }));
        await Assert.ThrowsAsync<HttpRequestException>(() => strict.GetStringAsync(new Uri($"https://127.0.0.1:{server.Port}/")));
    }

    [Fact]
    public async Task A_host_held_to_the_system_roots_is_refused_a_chain_to_the_profiles_own_CA()
    {
        // One handler serves chat, storage and CDNs, each host held to its own trust: a CDN host held to the public roots
        // must refuse a chain anchored only in the profile's private CA, which chat on the same server is accepted with.
        var (caPem, _, paths) = await MakeChainAsync("cdn");
        using var server = NodeTlsServer.Start(paths);
        var cdn = new Uri($"https://localhost:{server.Port}");
        var profile = ServedAt(server.Port, caPem) with { CdnUrls = new Dictionary<int, Uri> { [0] = cdn, [2] = cdn, [3] = cdn }, CdnTrust = TlsTrust.System };
        Assert.Same(TlsTrust.System, profile.TrustFor("localhost"));

        using var http = new HttpClient(SignalSharp.Service.Transport.ServiceHttpHandler.Create(profile));
        Assert.Equal("ed25519 ok", await http.GetStringAsync(new Uri($"https://127.0.0.1:{server.Port}/")));
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync(cdn));
    }

    // Chat and storage on the test server, held to its CA alone.
    private static ServerProfile ServedAt(int port, string caPem) => ServerProfile.Production with
    {
        ChatUrl = new Uri($"https://127.0.0.1:{port}"),
        ChatEndpoints = [],
        StorageUrl = new Uri($"https://127.0.0.1:{port}"),
        Trust = TlsTrust.FromPem(caPem),
    };

    private async Task<(string CaPem, string LeafPem, (string LeafKey, string LeafCert) Paths)> MakeChainAsync(string name)
    {
        string P(string file) => Path.Combine(directory, $"{name}-{file}");
        await OpenSslAsync("genpkey", "-algorithm", "ed25519", "-out", P("ca.key"));
        await OpenSslAsync("req", "-x509", "-new", "-key", P("ca.key"), "-subj", $"/CN=Test Ed25519 Root {name}", "-days", "2",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", P("ca.pem"));
        await OpenSslAsync("genpkey", "-algorithm", "ed25519", "-out", P("leaf.key"));
        await OpenSslAsync("req", "-new", "-key", P("leaf.key"), "-subj", "/CN=127.0.0.1", "-out", P("leaf.csr"));
        await File.WriteAllTextAsync(P("leaf.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n");
        await OpenSslAsync("x509", "-req", "-in", P("leaf.csr"), "-CA", P("ca.pem"), "-CAkey", P("ca.key"), "-CAcreateserial",
            "-days", "1", "-extfile", P("leaf.ext"), "-out", P("leaf.pem"));
        return (await File.ReadAllTextAsync(P("ca.pem")), await File.ReadAllTextAsync(P("leaf.pem")), (P("leaf.key"), P("leaf.pem")));
    }

    private static async Task OpenSslAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"openssl {string.Join(' ', arguments)}: {await error}");
    }

    /// <summary>A Node HTTPS server presenting the given chain on a loopback port, stopped on dispose.</summary>
    private sealed class NodeTlsServer : IDisposable
    {
        private readonly Process node;

        private NodeTlsServer(Process node, int port) => (this.node, Port) = (node, port);

        public int Port { get; }

        public static NodeTlsServer Start((string LeafKey, string LeafCert) paths)
        {
            var script = """
                const https = require('node:https'); const fs = require('node:fs');
                const [key, cert] = process.argv.slice(1);
                const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => res.end('ed25519 ok'));
                server.listen(0, '127.0.0.1', () => console.log(server.address().port));
                process.stdin.on('end', () => process.exit(0)); process.stdin.resume();
                """;
            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (var argument in new[] { "-e", script, paths.LeafKey, paths.LeafCert })
            {
                start.ArgumentList.Add(argument);
            }

            var node = Process.Start(start)!;
            return new NodeTlsServer(node, int.Parse(node.StandardOutput.ReadLine()!, System.Globalization.CultureInfo.InvariantCulture));
        }

        public void Dispose()
        {
            node.StandardInput.Close();
            if (!node.WaitForExit(5000))
            {
                node.Kill();
            }

            node.Dispose();
        }
    }
}
