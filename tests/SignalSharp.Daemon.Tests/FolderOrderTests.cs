using System.Text.RegularExpressions;
using SignalSharp.Daemon.Tests.Support;

namespace SignalSharp.Daemon.Tests;

/// <summary>
/// The daemon's folders read one way: Server → Commands → Json → Framing → the root (status codes). A folder may
/// name only folders below it, so no cycle can form. Checked on the source: each file's namespace must match its
/// folder, and every <c>using SignalSharp.Daemon.X</c>, fully qualified name or sibling-relative name (<c>Json.Foo</c>)
/// must point down.
/// </summary>
public sealed partial class FolderOrderTests
{
    private static readonly string[] Order = ["", "Framing", "Json", "Commands", "Server"];

    [Fact]
    public void Every_daemon_folder_names_only_folders_below_it()
    {
        var violations = FindViolations(DaemonSources());
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void The_check_finds_an_upward_using_a_qualified_name_and_a_misplaced_namespace()
    {
        var sources = new List<(string Folder, string Text)>
        {
            ("Commands", "using SignalSharp.Daemon.Server;\nnamespace SignalSharp.Daemon.Commands;\nclass A {}"),
            ("Json", "namespace SignalSharp.Daemon.Json;\nclass B { object c = Commands.CommandLog.X; }"),
            ("Framing", "namespace SignalSharp.Daemon.Framing;\nclass C { SignalSharp.Daemon.Json.IResponseSink s; }"),
            ("Framing", "namespace SignalSharp.Daemon.Server;\nclass D {}"),
            ("Server", "using SignalSharp.Daemon.Commands;\nusing SignalSharp.Daemon.Framing;\nnamespace SignalSharp.Daemon.Server;\nclass E { System.Text.Json.JsonElement e; }"),
        };

        var violations = FindViolations(sources);

        Assert.Equal(4, violations.Count);
        Assert.Contains(violations, v => v.Contains("Commands names Server", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("Json names Commands", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("Framing names Json", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("namespace SignalSharp.Daemon.Server in folder Framing", StringComparison.Ordinal));
    }

    private static List<string> FindViolations(IEnumerable<(string Folder, string Text)> sources)
    {
        var violations = new List<string>();
        foreach (var (folder, text) in sources)
        {
            var level = Array.IndexOf(Order, folder);
            if (level < 0)
            {
                violations.Add($"folder {folder} is not in the allowed order; add it to {nameof(Order)}");
                continue;
            }

            var code = LineComment().Replace(text, "");
            var expectedNamespace = folder.Length == 0 ? "SignalSharp.Daemon" : $"SignalSharp.Daemon.{folder}";
            var declared = NamespaceDeclaration().Match(code);
            if (!declared.Success || declared.Groups[1].Value != expectedNamespace)
            {
                violations.Add($"namespace {declared.Groups[1].Value} in folder {folder}");
            }

            code = NamespaceDeclaration().Replace(code, "");
            var named = QualifiedFolder().Matches(code).Select(m => m.Groups[1].Value)
                .Concat(RelativeFolder().Matches(code).Select(m => m.Groups[1].Value))
                .Distinct();
            foreach (var target in named)
            {
                if (target != folder && !(Array.IndexOf(Order, target) is var below and >= 0 && below < level))
                {
                    violations.Add($"{DisplayName(folder)} names {target}");
                }
            }
        }

        return violations;
    }

    private static string DisplayName(string folder) => folder.Length == 0 ? "the root" : folder;

    private static IEnumerable<(string Folder, string Text)> DaemonSources()
    {
        var root = Path.Combine(SourceTree.RepositoryRoot(), "src", "SignalSharp.Daemon");
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.True(files.Count > 10, $"expected the daemon's sources under {root}");
        foreach (var file in files)
        {
            var folder = Path.GetRelativePath(root, Path.GetDirectoryName(file)!).Replace(Path.DirectorySeparatorChar, '.');
            yield return (folder == "." ? "" : folder, File.ReadAllText(file));
        }
    }

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"SignalSharp\.Daemon\.(\w+)")]
    private static partial Regex QualifiedFolder();

    // A sibling folder named relative to the shared parent namespace, e.g. Json.ResponseWriter; not System.Text.Json.X.
    [GeneratedRegex(@"(?<![\w.])(Framing|Json|Commands|Server)\.[A-Z]")]
    private static partial Regex RelativeFolder();
}
