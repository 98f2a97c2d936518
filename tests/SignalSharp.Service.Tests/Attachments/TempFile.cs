using System.Security.Cryptography;

namespace SignalSharp.Service.Tests.Attachments;

/// <summary>A temporary file removed on dispose; random content is written in chunks so big cases stay cheap.</summary>
internal sealed class TempFile : IDisposable
{
    private TempFile(string path, string sha256Hex)
    {
        Path = path;
        Sha256Hex = sha256Hex;
    }

    public string Path { get; }

    public string Sha256Hex { get; }

    public static TempFile Empty() => new(System.IO.Path.GetTempFileName(), "");

    public static TempFile WithRandomBytes(int size)
    {
        var path = System.IO.Path.GetTempFileName();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var file = File.Create(path))
        {
            var chunk = new byte[1 << 20];
            for (var written = 0; written < size; written += chunk.Length)
            {
                var n = Math.Min(chunk.Length, size - written);
                RandomNumberGenerator.Fill(chunk.AsSpan(0, n));
                file.Write(chunk, 0, n);
                sha.AppendData(chunk, 0, n);
            }
        }

        return new TempFile(path, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    public static string Sha256HexOf(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    public void Dispose() => File.Delete(Path);
}
