using SignalSharp.Interop.Testing;
using SignalSharp.Service.Profiles;

namespace SignalSharp.Service.Tests.Transport;

internal static class MockProfile
{
    /// <summary>The mock's profile, going through the same JSON file path as <c>--server FILE</c>.</summary>
    public static ServerProfile For(MockServer mock)
    {
        var directory = Directory.CreateTempSubdirectory("signalsharp-mock-profile-").FullName;
        try
        {
            var path = Path.Combine(directory, "mock.json");
            mock.WriteServerProfile(path);
            return ServerProfile.Load(path);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
