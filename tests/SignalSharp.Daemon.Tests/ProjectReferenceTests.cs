using System.Xml.Linq;
using SignalSharp.Daemon.Tests.Support;

namespace SignalSharp.Daemon.Tests;

/// <summary>
/// The projects under src/ point one way: Crypto ← {Spqr, ZkGroup, Protocol} ← {Service, Store} ← Account ←
/// {Daemon, JsonRpc, Cli}. A project may reference projects of a lower layer only, with three named exceptions inside a layer
/// (Protocol uses Spqr, Cli hosts the Daemon and the JSON-RPC front end); the mock-server harness is only the CLI's (`local`). Checked on the
/// csproj files, so a new upward reference fails here before anyone builds on it.
/// </summary>
public sealed class ProjectReferenceTests
{
    private static readonly Dictionary<string, int> Layer = new()
    {
        ["SignalSharp.Crypto"] = 0,
        ["SignalSharp.Spqr"] = 1,
        ["SignalSharp.ZkGroup"] = 1,
        ["SignalSharp.Protocol"] = 1,
        ["SignalSharp.Service"] = 2,
        ["SignalSharp.Store"] = 2,
        ["SignalSharp.Account"] = 3,
        ["SignalSharp.Daemon"] = 4,
        ["SignalSharp.Cli"] = 4,
        ["SignalSharp.JsonRpc"] = 4,
    };

    private static readonly HashSet<(string From, string To)> SameLayerAllowed =
    [
        ("SignalSharp.Protocol", "SignalSharp.Spqr"),
        ("SignalSharp.Cli", "SignalSharp.Daemon"),
        ("SignalSharp.Cli", "SignalSharp.JsonRpc"),
    ];

    private const string MockHarness = "SignalSharp.MockHarness";

    [Fact]
    public void Every_project_reference_under_src_points_down()
    {
        var references = SourceProjectReferences();

        var violations = FindViolations(references);

        Assert.True(violations.Count == 0, string.Join("\n", violations));
        // The check read the real graph (a wrong path would find nothing and pass).
        Assert.Contains(("SignalSharp.Daemon", "SignalSharp.Account"), references);
    }

    [Fact]
    public void The_check_finds_upward_sideways_harness_and_unknown_references()
    {
        var violations = FindViolations(
        [
            ("SignalSharp.Store", "SignalSharp.Account"),
            ("SignalSharp.Service", "SignalSharp.Store"),
            ("SignalSharp.Spqr", "SignalSharp.Protocol"),
            ("SignalSharp.Daemon", MockHarness),
            ("SignalSharp.Account", "SignalSharp.Widgets"),
            ("SignalSharp.Account", "SignalSharp.Store"),
            ("SignalSharp.Cli", MockHarness),
            ("SignalSharp.Protocol", "SignalSharp.Spqr"),
        ]);

        Assert.Equal(
        [
            "SignalSharp.Store → SignalSharp.Account points up",
            "SignalSharp.Service → SignalSharp.Store points sideways",
            "SignalSharp.Spqr → SignalSharp.Protocol points sideways",
            "SignalSharp.Daemon → SignalSharp.MockHarness: the mock harness is the CLI's only",
            "SignalSharp.Account → SignalSharp.Widgets: SignalSharp.Widgets has no layer; add it to the map",
        ], violations);
    }

    private static List<string> FindViolations(IEnumerable<(string From, string To)> references)
    {
        var violations = new List<string>();
        foreach (var (from, to) in references)
        {
            if (to == MockHarness)
            {
                if (from != "SignalSharp.Cli")
                {
                    violations.Add($"{from} → {to}: the mock harness is the CLI's only");
                }

                continue;
            }

            if (!Layer.TryGetValue(from, out var fromLayer) && from != MockHarness)
            {
                violations.Add($"{from} → {to}: {from} has no layer; add it to the map");
                continue;
            }

            if (!Layer.TryGetValue(to, out var toLayer))
            {
                violations.Add($"{from} → {to}: {to} has no layer; add it to the map");
                continue;
            }

            if (from == MockHarness)
            {
                violations.Add($"{from} → {to}: the mock harness stands alone");
            }
            else if (toLayer > fromLayer)
            {
                violations.Add($"{from} → {to} points up");
            }
            else if (toLayer == fromLayer && !SameLayerAllowed.Contains((from, to)))
            {
                violations.Add($"{from} → {to} points sideways");
            }
        }

        return violations;
    }

    private static List<(string From, string To)> SourceProjectReferences()
    {
        var src = Path.Combine(SourceTree.RepositoryRoot(), "src");
        var references = new List<(string, string)>();
        foreach (var project in Directory.EnumerateFiles(src, "*.csproj", SearchOption.AllDirectories))
        {
            var from = Path.GetFileNameWithoutExtension(project);
            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                var include = (string?)reference.Attribute("Include") ?? "";
                references.Add((from, Path.GetFileNameWithoutExtension(include.Replace('\\', '/'))));
            }
        }

        return references;
    }
}
