using System.Text.RegularExpressions;
using SignalSharp.Daemon.Tests.Support;

namespace SignalSharp.Protocol.Tests;

/// <summary>
/// Protocol's errors sit at the bottom: every folder may throw them, so the Errors folder names nothing of the
/// folders above it (Messages, Sessions, Ratchet, SealedSender, SenderKeys, Storage, Fingerprints), or those folders
/// and Errors would form a cycle. Only the root namespace's vocabulary (addresses, keys) is shared. Checked on the
/// source: no <c>using</c> or qualified name of a sub-namespace, and no type declared in one.
/// </summary>
public sealed partial class ErrorsFolderTests
{
    [Fact]
    public void The_errors_name_no_type_of_a_protocol_sub_namespace()
    {
        var sources = ProtocolSources();

        var violations = FindViolations(sources);

        Assert.True(violations.Count == 0, string.Join("\n", violations));
        Assert.Contains(sources, s => s.Folder == "Errors" && s.Text.Contains("class InvalidMessageException", StringComparison.Ordinal));
    }

    [Fact]
    public void The_check_finds_a_using_a_qualified_name_and_a_bare_type_name()
    {
        var violations = FindViolations(
        [
            ("Messages", "namespace SignalSharp.Protocol.Messages;\npublic enum CiphertextMessageType { Whisper }\npublic sealed class SignalMessage {}"),
            ("Keys", "namespace SignalSharp.Protocol;\npublic sealed class ProtocolAddress {}"),
            ("Errors", "using SignalSharp.Protocol.Messages;\nnamespace SignalSharp.Protocol;\nclass A {}"),
            ("Errors", "namespace SignalSharp.Protocol;\nclass B { SignalSharp.Protocol.Sessions.X x; }"),
            ("Errors", "namespace SignalSharp.Protocol;\nclass C(CiphertextMessageType type) { ProtocolAddress a; string s = \"SignalMessage\"; }\n// SignalMessage"),
        ]);

        Assert.Equal(["Errors names Messages (using)", "Errors names Sessions (qualified)", "Errors names CiphertextMessageType of SignalSharp.Protocol.Messages"], violations);
    }

    private static List<string> FindViolations(IReadOnlyList<(string Folder, string Text)> sources)
    {
        var above = new Dictionary<string, string>();
        foreach (var (_, text) in sources)
        {
            var ns = NamespaceDeclaration().Match(text).Groups[1].Value;
            if (ns != "SignalSharp.Protocol")
            {
                foreach (Match type in TypeDeclaration().Matches(Code(text)))
                {
                    above.TryAdd(type.Groups[1].Value, ns);
                }
            }
        }

        var violations = new List<string>();
        foreach (var (folder, text) in sources.Where(s => s.Folder == "Errors"))
        {
            var code = Code(text);
            violations.AddRange(UsingDirective().Matches(code).Select(m => $"Errors names {m.Groups[1].Value} (using)"));
            code = UsingDirective().Replace(NamespaceDeclaration().Replace(code, ""), "");
            violations.AddRange(QualifiedName().Matches(code).Select(m => $"Errors names {m.Groups[1].Value} (qualified)"));
            violations.AddRange(Identifier().Matches(code).Select(m => m.Value).Distinct()
                .Where(above.ContainsKey).Select(name => $"Errors names {name} of {above[name]}"));
        }

        return violations;
    }

    /// <summary>The text without comments and string literals, which name types without depending on them.</summary>
    private static string Code(string text) => StringLiteral().Replace(Comment().Replace(text, ""), "\"\"");

    private static List<(string Folder, string Text)> ProtocolSources()
    {
        var files = SourceTree.CSharpFiles("src/SignalSharp.Protocol")
            .Select(f => (f.Path.Split('/') is { Length: > 1 } parts ? parts[0] : "", f.Text))
            .ToList();
        Assert.True(files.Count > 20, "expected the protocol's sources under src/SignalSharp.Protocol");
        return files;
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"@?""(?:\\.|[^""\\])*""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^\s*using\s+SignalSharp\.Protocol\.(\w+)[\w.]*\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"SignalSharp\.Protocol\.(\w+)\.")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record)\s+(?!class\b|struct\b)([A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();
}
