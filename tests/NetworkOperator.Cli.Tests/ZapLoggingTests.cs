using System.Collections;
using Microsoft.Extensions.Logging;
using NetworkOperator.Cli.Commands;

namespace NetworkOperator.Cli.Tests;

/// <summary>controller-runtime's zap flags on `run`, which upstream's manifests and scripts may pass.</summary>
public class ZapLoggingTests
{
    [Theory]
    [InlineData(new string[0], LogLevel.Information, false)]
    [InlineData(new[] { "--zap-log-level=debug" }, LogLevel.Debug, false)]
    [InlineData(new[] { "--zap-log-level", "error" }, LogLevel.Error, false)]
    [InlineData(new[] { "--zap-log-level=panic" }, LogLevel.Critical, false)]
    [InlineData(new[] { "--zap-log-level=1" }, LogLevel.Debug, false)]
    [InlineData(new[] { "--zap-log-level=5" }, LogLevel.Trace, false)]
    [InlineData(new[] { "--zap-devel" }, LogLevel.Debug, false)]
    [InlineData(new[] { "--zap-devel", "--zap-log-level=info" }, LogLevel.Information, false)]
    [InlineData(new[] { "--zap-encoder=json", "--zap-stacktrace-level=error", "--zap-time-encoding=rfc3339" }, LogLevel.Information, true)]
    public void Zap_flags_set_the_level_and_format(string[] flags, LogLevel level, bool json)
    {
        var settings = Resolve(flags);

        Assert.Equal(level, settings.Logging.MinimumLevel);
        Assert.Equal(json, settings.Logging.Json);
    }

    [Theory]
    [InlineData("--zap-log-level=verbose", "--zap-log-level: \"verbose\" is not one of debug, info, error, panic or an integer > 0")]
    [InlineData("--zap-log-level=0", "--zap-log-level: \"0\" is not one of debug, info, error, panic or an integer > 0")]
    [InlineData("--zap-encoder=xml", "--zap-encoder: \"xml\" is not one of console, json")]
    [InlineData("--zap-time-encoding=unix", "--zap-time-encoding: \"unix\" is not one of epoch, millis, nano, iso8601, rfc3339, rfc3339nano")]
    public void A_bad_zap_value_is_a_user_error_naming_the_flag(string flag, string message)
    {
        var error = Assert.Throws<UserErrorException>(() => Resolve([flag]));

        Assert.Equal(message, error.Message);
    }

    private static RunSettings Resolve(string[] args)
    {
        var run = new RunCommand();
        var parsed = run.Build().Parse(args);
        Assert.Empty(parsed.Errors);
        return run.Resolve(parsed, new Hashtable { ["POD_NAMESPACE"] = "nvidia-network-operator" });
    }
}
