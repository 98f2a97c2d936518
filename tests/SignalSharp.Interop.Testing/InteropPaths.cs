using System.Diagnostics;

namespace SignalSharp.Interop.Testing;

/// <summary>
/// Finds the repository's <c>interop/</c> folder and makes sure its pinned Node packages are installed
/// (<c>npm ci</c> when <c>node_modules</c> is missing), so that a fresh clone and CI need nothing by hand.
/// </summary>
public static class InteropPaths
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static bool installed;

    public static string InteropDirectory { get; } = FindInteropDirectory();

    private static string FindInteropDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "interop", "package.json");
            if (File.Exists(candidate))
            {
                return Path.GetDirectoryName(candidate)!;
            }
        }

        throw new InvalidOperationException($"interop/package.json not found above {AppContext.BaseDirectory}");
    }

    /// <summary>Runs <c>npm ci</c> once per process when the pinned packages are not installed yet.</summary>
    public static async Task EnsureNodeModulesAsync(CancellationToken cancellationToken = default)
    {
        await InstallGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (installed)
            {
                return;
            }

            // Several test assemblies may start at once: a lock file keeps two npm runs apart.
            var lockPath = Path.Combine(InteropDirectory, ".npm-ci.lock");
            using var fileLock = await AcquireFileLockAsync(lockPath, cancellationToken).ConfigureAwait(false);
            var marker = Path.Combine(InteropDirectory, "node_modules", "@signalapp", "libsignal-client", "package.json");
            if (!File.Exists(marker))
            {
                await RunAsync("npm", "ci --no-audit --no-fund", InteropDirectory, cancellationToken).ConfigureAwait(false);
            }

            installed = true;
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task RunAsync(string file, string arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{file} {arguments} failed with exit code {process.ExitCode}:\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
        }
    }
}
