using SignalSharp.Interop.Testing;

namespace SignalSharp.Service.Tests.Transport;

/// <summary>One mock server with the production-style front, shared by the tests that switch its faults (one at a time).</summary>
[CollectionDefinition(Name)]
public sealed class FrontServerCollection : ICollectionFixture<FrontServerFixture>
{
    public const string Name = "production-style front";
}
