using NetworkOperator.Simulator.Errors;
using NetworkOperator.Simulator.Selectors;

namespace NetworkOperator.Simulator.Tests.Selectors;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "front", ["env"] = "prod" };

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("missing!=x", true)]
    [InlineData("app in (web,api)", true)]
    [InlineData("app in (api)", false)]
    [InlineData("app notin (api, db)", true)]
    [InlineData("missing notin (a)", true)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("!missing", true)]
    [InlineData("app=web,tier in (front),!missing", true)]
    [InlineData("app=web,env=dev", false)]
    [InlineData("", true)]
    public void Matches_like_the_real_server(string selector, bool expected) =>
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));

    [Theory]
    [InlineData("app in web")]
    [InlineData("a b=c")]
    [InlineData("=x")]
    public void Malformed_selectors_are_bad_requests(string selector)
    {
        var error = Assert.Throws<ApiException>(() => LabelSelector.Parse(selector));
        Assert.Equal(400, error.Code);
    }
}
