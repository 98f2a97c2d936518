using System.Text.Json.Serialization;

namespace SignalSharp.JsonRpc.Json;

/// <summary>Source-generated serialisation for everything the front end writes (NativeAOT needs no reflection).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JsonReceivePayload))]
[JsonSerializable(typeof(List<JsonReceivePayload>))]
[JsonSerializable(typeof(JsonSendResponse))]
[JsonSerializable(typeof(JsonVersion))]
[JsonSerializable(typeof(List<JsonAccount>))]
internal sealed partial class JsonRpcJsonContext : JsonSerializerContext;
