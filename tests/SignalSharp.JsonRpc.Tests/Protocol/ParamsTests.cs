using System.Text.Json.Nodes;
using SignalSharp.JsonRpc.Protocol;

namespace SignalSharp.JsonRpc.Tests.Protocol;

public sealed class ParamsTests
{
    private static JsonRpcParams Of(string json) => new(JsonNode.Parse(json));

    [Theory]
    [InlineData("""{"group-id":"g"}""")]
    [InlineData("""{"groupId":"g"}""")]
    [InlineData("""{"groupIds":["g"]}""")]
    [InlineData("""{"group-ids":"g"}""")]
    public void A_list_is_found_by_its_option_name_camel_case_or_plural_and_a_scalar_is_a_one_element_list(string json) =>
        Assert.Equal(["g"], Of(json).GetStringList("groupId"));

    [Fact]
    public void The_option_name_wins_over_camel_case_as_in_signal_cli() =>
        Assert.Equal("dashed", Of("""{"target-author":"dashed","targetAuthor":"camel"}""").GetString("targetAuthor"));

    [Fact]
    public void Null_is_absent()
    {
        var parameters = Of("""{"message":null,"recipient":null,"remove":null,"targetTimestamp":null}""");
        Assert.Null(parameters.GetString("message"));
        Assert.Empty(parameters.GetStringList("recipient"));
        Assert.False(parameters.GetBool("remove"));
        Assert.Null(parameters.GetLong("targetTimestamp"));
    }

    [Fact]
    public void Numbers_may_come_as_strings_and_ids_as_numbers()
    {
        var parameters = Of("""{"targetTimestamp":"1700000000000","recipient":[5]}""");
        Assert.Equal(1_700_000_000_000, parameters.GetLong("targetTimestamp"));
        Assert.Equal(["5"], parameters.GetStringList("recipient"));
    }

    [Fact]
    public void A_value_of_the_wrong_shape_is_invalid_params()
    {
        var error = Assert.Throws<JsonRpcException>(() => Of("""{"targetTimestamp":{"x":1}}""").GetLong("targetTimestamp"));
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, error.Error.Code);
    }

    [Fact]
    public void Dashed_names_follow_the_command_line_options() =>
        Assert.Equal("target-timestamp", JsonRpcParams.Dashed("targetTimestamp"));
}
