namespace SignalSharp.Cli.Tests.Support;

/// <summary>A data directory of the test's own: a daemon's control socket lives in it, so parallel daemons never meet.</summary>
internal sealed class TempConfig : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("signalsharp-cli-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
