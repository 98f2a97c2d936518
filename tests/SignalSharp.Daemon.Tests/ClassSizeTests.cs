using System.Text;
using SignalSharp.Daemon.Tests.Support;

namespace SignalSharp.Daemon.Tests;

/// <summary>
/// No type under src/ is over 400 lines summed over its partial files. A type's share of a file is the whole file
/// when the file declares one top-level type; when it declares several, each takes the lines from the end of the
/// one before it to its own closing brace (usings and headers go with the first, trailing lines with the last), so
/// the shares of a file add up to its length. Nested types count with the type around them. Generated code (obj/)
/// is not read.
/// </summary>
public sealed class ClassSizeTests
{
    private const int MaxLines = 400;

    [Fact]
    public void No_type_under_src_is_over_400_lines_over_its_partial_files()
    {
        var files = SourceFiles();
        var sizes = TypeSizes(files.Select(f => (f.Path, f.Text)));

        var offenders = sizes.Where(s => s.Value.Lines > MaxLines)
            .Select(s => $"{s.Key}: {s.Value.Lines} lines in {string.Join(", ", s.Value.Files)}")
            .ToList();
        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
        // The check read the real sources (a wrong path would find nothing and pass).
        Assert.Contains("SignalSharp.Account.LinkedAccount", sizes.Keys);
    }

    [Fact]
    public void Partials_add_up_and_a_file_of_several_types_is_shared_between_them()
    {
        var big = string.Concat(Enumerable.Repeat("    private int x;\n", 250));
        var sizes = TypeSizes(
        [
            ("A.cs", "namespace N;\n\npublic sealed partial class A\n{\n" + big + "}\n"),
            ("A.More.cs", "namespace N;\n\npublic sealed partial class A\n{\n" + big + "}\n"),
            ("Many.cs", "namespace N;\n\ninternal enum E { One, Two }\n\n/// <summary>x</summary>\ninternal sealed record R(int X);\n\ninternal sealed class C\n{\n    void F() { }\n}\n"),
            ("Block.cs", "namespace M\n{\n    class A { }\n}\n"),
        ]);

        Assert.Equal(2 * (250 + 5), sizes["N.A"].Lines);
        Assert.Equal(2, sizes["N.A"].Files.Count);
        Assert.Equal(3, sizes["N.E"].Lines);
        Assert.Equal(3, sizes["N.R"].Lines);
        Assert.Equal(5, sizes["N.C"].Lines);
        Assert.Equal(4, sizes["M.A"].Lines);
        Assert.Equal(5, sizes.Count);
    }

    [Fact]
    public void Braces_and_keywords_in_strings_comments_and_constraints_are_not_types()
    {
        var sizes = TypeSizes(
        [
            ("G.cs", "namespace N;\n\n// class Fake {\ninternal static class G\n{\n"
                + "    /* struct Also { */\n"
                + "    public static string S = \"class Nope {\" + $\"{(true ? \"}\" : \"{\")}\" + @\"record R {\" + '{';\n"
                + "    public static string T = \"\"\"\n        enum Q { \"\n        \"\"\";\n"
                + "    public static T F<T>() where T : class, new() => new();\n"
                + "    public static void H(object[] records) { foreach (var record in records) { _ = record is null; } }\n"
                + "    private sealed class Nested { }\n"
                + "}\n"
                + "internal readonly record struct P(int X);\n"),
        ]);

        Assert.Equal(["N.G", "N.P"], sizes.Keys.Order().ToArray());
        Assert.Equal(14, sizes["N.G"].Lines);
        Assert.Equal(1, sizes["N.P"].Lines);
    }

    /// <summary>Lines per type (namespace-qualified, generic arity as `n), with the files that declare it.</summary>
    private static Dictionary<string, (int Lines, List<string> Files)> TypeSizes(IEnumerable<(string Path, string Text)> files)
    {
        var sizes = new Dictionary<string, (int Lines, List<string> Files)>();
        foreach (var (path, text) in files)
        {
            var lineCount = text.Count(c => c == '\n') + (text.Length > 0 && !text.EndsWith('\n') ? 1 : 0);
            var types = TopLevelTypes(text);
            var from = 1;
            for (var i = 0; i < types.Count; i++)
            {
                var (name, endLine) = types[i];
                var to = i == types.Count - 1 ? lineCount : endLine;
                var share = types.Count == 1 ? lineCount : to - from + 1;
                from = to + 1;
                var entry = sizes.TryGetValue(name, out var found) ? found : (0, new List<string>());
                entry.Item2.Add(path);
                sizes[name] = (entry.Item1 + share, entry.Item2);
            }
        }

        return sizes;
    }

    /// <summary>The top-level types a file declares, in order, with the line their declaration ends on.</summary>
    private static List<(string Name, int EndLine)> TopLevelTypes(string text)
    {
        var code = StripCommentsAndLiterals(text);
        var tokens = Tokens(code);
        var found = new List<(string Name, int EndLine)>();
        var braces = new Stack<string?>(); // per open brace: the top-level type it opens, "" for any other type, null for other blocks
        var namespaces = new Stack<(string Name, int Depth)>();
        string? fileNamespace = null;
        string? pendingType = null;  // a declaration seen, its body not yet opened
        string? pendingNamespace = null;
        var parens = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var (token, line) = tokens[i];
            var next = i + 1 < tokens.Count ? tokens[i + 1].Text : "";
            switch (token)
            {
                case "(":
                    parens++;
                    break;
                case ")":
                    parens--;
                    break;
                case "namespace":
                    pendingNamespace = QualifiedName(tokens, i + 1, out var end);
                    i = end - 1;
                    break;
                case ";" when pendingNamespace is not null:
                    fileNamespace = pendingNamespace;
                    pendingNamespace = null;
                    break;
                case ";" when pendingType is not null && parens == 0:
                    if (pendingType.Length > 0)
                    {
                        found.Add((pendingType, line));
                    }

                    pendingType = null;
                    break;
                case "{":
                    if (pendingNamespace is not null)
                    {
                        namespaces.Push((pendingNamespace, braces.Count + 1));
                        pendingNamespace = null;
                    }

                    braces.Push(pendingType);
                    pendingType = null;
                    break;
                case "}":
                    if (braces.Count > 0 && braces.Pop() is { Length: > 0 } closed)
                    {
                        found.Add((closed, line));
                    }

                    if (namespaces.Count > 0 && namespaces.Peek().Depth > braces.Count)
                    {
                        namespaces.Pop();
                    }

                    break;
                case "class" or "struct" or "interface" or "enum" or "record" when IsDeclaration(tokens, i):
                    var nameAt = token == "record" && next is "class" or "struct" ? i + 2 : i + 1;
                    var insideType = braces.Any(b => b is not null);
                    var ns = namespaces.Count > 0 ? namespaces.Peek().Name : fileNamespace;
                    var arity = GenericArity(tokens, nameAt + 1);
                    var name = (ns is null ? "" : ns + ".") + tokens[nameAt].Text + (arity > 0 ? "`" + arity : "");
                    pendingType = insideType ? "" : name;
                    i = nameAt;
                    break;
            }
        }

        return found;
    }

    private static readonly HashSet<string> Modifiers =
        ["public", "internal", "private", "protected", "sealed", "static", "abstract", "partial", "readonly", "ref", "file", "unsafe", "new", "]", ";", "{", "}", ""];

    // A type keyword after modifiers (or at a statement's start) and followed by its name; not a constraint
    // (where T : class), not a local named record (var record in ...), not record's own class/struct.
    private static bool IsDeclaration(List<(string Text, int Line)> tokens, int i)
    {
        var previous = i > 0 ? tokens[i - 1].Text : "";
        if (!Modifiers.Contains(previous))
        {
            return false;
        }

        var nameAt = tokens[i].Text == "record" && i + 1 < tokens.Count && tokens[i + 1].Text is "class" or "struct" ? i + 2 : i + 1;
        return nameAt < tokens.Count && IsIdentifier(tokens[nameAt].Text) && tokens[nameAt].Text is not "where";
    }

    private static int GenericArity(List<(string Text, int Line)> tokens, int i)
    {
        if (i >= tokens.Count || tokens[i].Text != "<")
        {
            return 0;
        }

        var arity = 1;
        for (var depth = 0; i < tokens.Count; i++)
        {
            switch (tokens[i].Text)
            {
                case "<":
                    depth++;
                    break;
                case ">":
                    if (--depth == 0)
                    {
                        return arity;
                    }

                    break;
                case "," when depth == 1:
                    arity++;
                    break;
            }
        }

        return arity;
    }

    private static string QualifiedName(List<(string Text, int Line)> tokens, int i, out int end)
    {
        var name = new StringBuilder();
        while (i < tokens.Count && (IsIdentifier(tokens[i].Text) || tokens[i].Text == "."))
        {
            name.Append(tokens[i].Text);
            i++;
        }

        end = i;
        return name.ToString();
    }

    private static bool IsIdentifier(string token) => token.Length > 0 && (char.IsLetter(token[0]) || token[0] == '_' || token[0] == '@');

    private static List<(string Text, int Line)> Tokens(string code)
    {
        var tokens = new List<(string Text, int Line)>();
        var line = 1;
        for (var i = 0; i < code.Length;)
        {
            var c = code[i];
            if (c == '\n')
            {
                line++;
                i++;
            }
            else if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsLetterOrDigit(c) || c == '_' || c == '@')
            {
                var start = i;
                while (i < code.Length && (char.IsLetterOrDigit(code[i]) || code[i] == '_' || code[i] == '@'))
                {
                    i++;
                }

                tokens.Add((code[start..i], line));
            }
            else
            {
                tokens.Add((c.ToString(), line));
                i++;
            }
        }

        return tokens;
    }

    /// <summary>
    /// The code with comments, string and character literals blanked (line breaks kept, so line numbers hold).
    /// An interpolated string's holes are blanked with it, strings inside them included.
    /// </summary>
    private static string StripCommentsAndLiterals(string text)
    {
        var output = new StringBuilder(text.Length);
        var i = 0;
        void Blank(int until)
        {
            for (; i < until && i < text.Length; i++)
            {
                output.Append(text[i] == '\n' ? '\n' : ' ');
            }
        }

        while (i < text.Length)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                var end = text.IndexOf('\n', i);
                Blank(end < 0 ? text.Length : end);
            }
            else if (c == '/' && next == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                Blank(end < 0 ? text.Length : end + 2);
            }
            else if (c == '\'')
            {
                var end = i + 1;
                while (end < text.Length && text[end] != '\'')
                {
                    end += text[end] == '\\' ? 2 : 1;
                }

                Blank(end + 1);
            }
            else if (c is '"' or '$' or '@' && StringStart(text, i) is { Quotes: > 0 } literal)
            {
                Blank(literal.BodyStart);
                Blank(StringEnd(text, i, literal.Quotes, literal.Verbatim, literal.Interpolated));
            }
            else
            {
                output.Append(c);
                i++;
            }
        }

        return output.ToString();
    }

    /// <summary>At a possible string start: how many quotes open it (0: not a string), its kind, and where its body begins.</summary>
    private static (int Quotes, bool Verbatim, bool Interpolated, int BodyStart) StringStart(string text, int i)
    {
        var verbatim = false;
        var interpolated = false;
        var j = i;
        while (j < text.Length && text[j] is '$' or '@')
        {
            verbatim |= text[j] == '@';
            interpolated |= text[j] == '$';
            j++;
        }

        if (j >= text.Length || text[j] != '"')
        {
            return (0, false, false, i);
        }

        var quotes = 0;
        while (j + quotes < text.Length && text[j + quotes] == '"')
        {
            quotes++;
        }

        // "" is an empty string; three or more open a raw string.
        return quotes >= 3 ? (quotes, false, false, j + quotes) : (1, verbatim, interpolated, j + 1);
    }

    /// <summary>Where the string whose body starts at <paramref name="i"/> ends (after its closing quotes).</summary>
    private static int StringEnd(string text, int i, int quotes, bool verbatim, bool interpolated)
    {
        if (quotes >= 3)
        {
            var end = text.IndexOf(new string('"', quotes), i, StringComparison.Ordinal);
            return end < 0 ? text.Length : end + quotes;
        }

        while (i < text.Length)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (!verbatim && c == '\\')
            {
                i += 2;
            }
            else if (c == '"' && verbatim && next == '"')
            {
                i += 2;
            }
            else if (c == '"')
            {
                return i + 1;
            }
            else if (interpolated && c is '{' or '}' && next == c)
            {
                i += 2;
            }
            else if (interpolated && c == '{')
            {
                i = HoleEnd(text, i + 1);
            }
            else
            {
                i++;
            }
        }

        return text.Length;
    }

    /// <summary>Where an interpolation hole starting at <paramref name="i"/> ends (after its closing brace); strings inside it are skipped whole.</summary>
    private static int HoleEnd(string text, int i)
    {
        for (var depth = 0; i < text.Length;)
        {
            var c = text[i];
            if (c is '"' or '$' or '@' && StringStart(text, i) is { Quotes: > 0 } literal)
            {
                i = StringEnd(text, literal.BodyStart, literal.Quotes, literal.Verbatim, literal.Interpolated);
            }
            else if (c == '\'')
            {
                i++;
                while (i < text.Length && text[i] != '\'')
                {
                    i += text[i] == '\\' ? 2 : 1;
                }

                i++;
            }
            else if (c == '}' && depth == 0)
            {
                return i + 1;
            }
            else
            {
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                i++;
            }
        }

        return text.Length;
    }

    private static List<(string Path, string Text)> SourceFiles()
    {
        var files = SourceTree.CSharpFiles("src");
        Assert.True(files.Count > 100, "expected the sources under src/");
        return files;
    }
}
