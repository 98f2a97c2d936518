namespace SignalSharp.Daemon.Tests.Support;

/// <summary>The repository's own sources, for the tests that check conventions on them (also linked into other test projects).</summary>
internal static class SourceTree
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SignalSharp.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SignalSharp.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The C# files below <paramref name="folder"/> (relative to the repository), generated code (obj/, bin/) left out; paths relative to it with '/'.</summary>
    public static List<(string Path, string Text)> CSharpFiles(string folder)
    {
        var root = Path.Combine(RepositoryRoot(), folder);
        var separator = Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{separator}obj{separator}", StringComparison.Ordinal) && !f.Contains($"{separator}bin{separator}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(root, f).Replace(separator, '/'), File.ReadAllText(f)))
            .ToList();
    }
}
