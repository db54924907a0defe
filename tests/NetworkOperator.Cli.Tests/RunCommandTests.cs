using NetworkOperator.Simulator;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Cli.Tests;

/// <summary>`network-operator run` as a process against the embedded API server.</summary>
[Trait("Category", "Slow")]
public sealed class RunCommandTests
{
    [Fact]
    public async Task Run_with_webhooks_enabled_but_no_certificate_settings_fails_with_a_clear_message()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var directory = Directory.CreateTempSubdirectory("run-cli-").FullName;
        var kubeconfig = Path.Combine(directory, "kubeconfig");
        server.WriteKubeconfig(kubeconfig);

        var result = await CliProcess.RunAsync(
            ["run", "--kubeconfig", kubeconfig, "--install-crds", "--metrics-bind-address", "0", "--health-probe-bind-address", "0"],
            environment: new Dictionary<string, string>
            {
                ["ENABLE_WEBHOOKS"] = "true",
                ["POD_NAMESPACE"] = "default",
                ["WEBHOOK_CERT_DIR"] = directory,
                ["OFED_PRECOMPILED_TAG_LISTER"] = "offline",
            },
            timeout: TimeSpan.FromMinutes(2));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("validating webhook:", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("WEBHOOK_SERVICE_NAME", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }
}
