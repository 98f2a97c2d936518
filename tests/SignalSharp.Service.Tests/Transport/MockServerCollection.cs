using SignalSharp.Interop.Testing;

namespace SignalSharp.Service.Tests.Transport;

/// <summary>One mock server shared by the transport test classes that only need a running server.</summary>
[CollectionDefinition(Name)]
public sealed class MockServerCollection : ICollectionFixture<MockServerFixture>
{
    public const string Name = "mock server";
}
