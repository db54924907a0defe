using NetworkOperator.Rendering.Common;

namespace NetworkOperator.Rendering.Tests.Common;

public class ShortHashTests
{
    [Theory]
    [InlineData("5.15.0-78-generic", "54669c9886")]
    [InlineData("5.15.0-91-generic", "6d568d699f")]
    [InlineData("pool-a", "779d97f8c7")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "84bb999775")]
    public void Reproduces_the_upstream_test_vectors(string input, string expected)
    {
        Assert.Equal(expected, ShortHash.Compute(input));
    }

    [Fact]
    public void Uses_only_the_name_safe_alphabet()
    {
        var hash = ShortHash.Compute("some-policy-name");
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]{1,10}$", hash);
    }
}
