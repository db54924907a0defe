using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NetworkOperator.Cli.Commands;
using NetworkOperator.Cli.Logging;

namespace NetworkOperator.Cli.Tests;

/// <summary>The operator's log lines: a time on every line in the encoding --zap-time-encoding names, console or JSON.</summary>
public sealed class ZapLogFormatTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 9, 40, 1, 250, TimeSpan.Zero);

    [Theory]
    [InlineData("epoch", "1796463601.25")]
    [InlineData("millis", "1796463601250")]
    [InlineData("nano", "1796463601250000000")]
    [InlineData("iso8601", "2026-12-05T09:40:01.250Z")]
    [InlineData("rfc3339", "2026-12-05T09:40:01Z")]
    [InlineData("rfc3339nano", "2026-12-05T09:40:01.25Z")]
    public void Console_lines_start_with_the_time_in_the_chosen_encoding(string encoding, string expected)
    {
        var lines = Log(json: false, encoding);

        Assert.Equal(2, lines.Length);
        Assert.Equal($"{expected}\tWARN\tNetworkOperator.Test\tstate state-multus of NicClusterPolicy/nic-cluster-policy failed", lines[0]);
        Assert.Equal($"{expected}\tINFO\tNetworkOperator.Test\tsecond", lines[1]);
    }

    [Theory]
    [InlineData("epoch", JsonValueKind.Number)]
    [InlineData("nano", JsonValueKind.Number)]
    [InlineData("rfc3339", JsonValueKind.String)]
    [InlineData("iso8601", JsonValueKind.String)]
    public void Json_lines_carry_the_same_fields(string encoding, JsonValueKind tsKind)
    {
        var lines = Log(json: true, encoding);

        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal("warn", root.GetProperty("level").GetString());
        Assert.Equal(tsKind, root.GetProperty("ts").ValueKind);
        Assert.Equal("NetworkOperator.Test", root.GetProperty("logger").GetString());
        Assert.Equal("state state-multus of NicClusterPolicy/nic-cluster-policy failed", root.GetProperty("msg").GetString());
        Assert.Equal("state-multus", root.GetProperty("State").GetString());
        Assert.False(root.TryGetProperty("{OriginalFormat}", out _));
    }

    [Fact]
    public void The_run_flag_reaches_the_log_settings()
    {
        var run = new RunCommand();
        var parsed = run.Build().Parse(["--zap-time-encoding=millis", "--zap-encoder=json"]);
        var settings = run.Resolve(parsed, new System.Collections.Hashtable { ["POD_NAMESPACE"] = "nvidia-network-operator" });

        Assert.Equal(ZapTimeEncoding.Millis, settings.Logging.TimeEncoding);
        Assert.True(settings.Logging.Json);
        Assert.Equal(ZapTimeEncoding.Rfc3339, new LogSettings(LogLevel.Information, false).TimeEncoding);
    }

    [Theory]
    [InlineData(LogLevel.Information, false)]
    [InlineData(LogLevel.Debug, true)]
    [InlineData(LogLevel.Trace, true)]
    public void Request_lines_of_the_probe_and_webhook_servers_stay_out_below_debug(LogLevel level, bool requestLinesShown)
    {
        using var output = new StringWriter();
        using (var factory = LoggerFactory.Create(b => new LogSettings(level, Json: false).Configure(b, output)))
        {
#pragma warning disable CA1848, CA2254 // stand-ins for the framework's own entries
            factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").LogInformation("Request starting HTTP/1.1 GET http://127.0.0.1:8081/readyz");
            factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").LogWarning("Overriding address(es)");
            factory.CreateLogger("NetworkOperator.Test").LogInformation("reconciled");
#pragma warning restore CA1848, CA2254
        }

        var text = output.ToString();
        Assert.Equal(requestLinesShown, text.Contains("Request starting", StringComparison.Ordinal));
        Assert.Contains("Overriding address(es)", text, StringComparison.Ordinal);
        Assert.Contains("reconciled", text, StringComparison.Ordinal);
    }

    private static string[] Log(bool json, string encoding)
    {
        using var output = new StringWriter();
        var clock = new FakeTimeProvider(At);
        using (var factory = LoggerFactory.Create(b => b.AddProvider(new ZapLoggerProvider(output, json, ZapTime.Parse(encoding), clock))))
        {
            var logger = factory.CreateLogger("NetworkOperator.Test");
#pragma warning disable CA1848, CA2254 // the test needs one structured and one plain entry
            logger.LogWarning("state {State} of {Owner} failed", "state-multus", "NicClusterPolicy/nic-cluster-policy");
            logger.LogInformation("second");
#pragma warning restore CA1848, CA2254
        }

        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
