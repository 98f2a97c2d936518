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

    /// <summary>A production-style profile on the mock's front: chat endpoints in this order (see MockServer.WriteFrontProfile).</summary>
    public static ServerProfile ForFront(MockServer mock, params (string Listener, string Http)[] chatEndpoints)
    {
        var directory = Directory.CreateTempSubdirectory("signalsharp-front-profile-").FullName;
        try
        {
            var path = Path.Combine(directory, "front.json");
            mock.WriteFrontProfile(path, chatEndpoints);
            return ServerProfile.Load(path);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
