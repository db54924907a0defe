using System.Diagnostics;
using System.Text.RegularExpressions;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Tools.Tests;

/// <summary>
/// The interactive <c>demo</c> as a user runs it, through a pipe and in a pseudo-terminal: it keeps telling the truth
/// after Ready — a driver upgrade or a scale started with kubectl shows up — and Ctrl+C (SIGTERM) removes its folder.
/// </summary>
[Trait("Category", "Slow")]
public sealed partial class DemoLiveTests
{
    private const string Kubectl = "/usr/bin/kubectl";
    private static readonly TimeSpan Slow = Eventually.Timeout * 4;

    [Fact]
    public async Task Through_a_pipe_the_demo_prints_plain_lines_and_follows_a_driver_upgrade_started_with_kubectl_to_the_end()
    {
        using var demo = BackgroundCli.StartTools(["demo"]);
        await demo.WaitForLineAsync(l => l.StartsWith("kubeconfig:", StringComparison.Ordinal), "the kubeconfig line", Slow);
        var kubeconfig = demo.Output.Split('\n').First(l => l.StartsWith("kubeconfig:", StringComparison.Ordinal))["kubeconfig:".Length..].Trim();
        await demo.WaitForLineAsync(l => WorkloadWithAddress().IsMatch(l), "the sample workload running with an address on net1", Slow);

        var before = demo.Output.Split('\n').Length;
        var patch = await KubectlAsync(kubeconfig, "patch", "nicclusterpolicy", "nic-cluster-policy", "--type", "merge",
            "-p", """{"spec":{"ofedDriver":{"version":"doca3.2.0-25.10-1.2.8.0-1"}}}""");
        Assert.True(patch.ExitCode == 0, patch.Output);

        // After the edit: some line with a node in the upgrade, and a later one with every node done and the workload back.
        await demo.UntilAsync(() =>
        {
            var lines = Output(demo).Skip(before).ToList();
            var upgrading = lines.FindIndex(l => Regex.IsMatch(l, @"; upgrade [^;]*-required"));
            return Task.FromResult(upgrading >= 0 && lines.Skip(upgrading + 1).Any(Upgraded));
        }, "the upgrade started with kubectl completed on screen", Slow);

        var after = Output(demo).Skip(before).ToList();
        Assert.DoesNotContain(after, l => l.Contains("upgrade-failed", StringComparison.Ordinal));

        var all = demo.Output;
        Assert.DoesNotContain("\u001b[", all, StringComparison.Ordinal);
        Assert.All(all.Split('\n').Where(l => l.Contains("policy ", StringComparison.Ordinal) && l.Length > 8 && l[2] == ':'),
            l => Assert.Matches(@"^\d\d:\d\d:\d\d policy ", l));

        Assert.Equal(0, await demo.TerminateAsync(TimeSpan.FromMinutes(1)));
        Assert.False(Directory.Exists(Path.GetDirectoryName(kubeconfig)), "the demo's folder is removed on exit");
    }

    [Fact]
    public async Task In_a_terminal_the_live_view_redraws_and_shows_a_second_replica_patched_in_with_kubectl()
    {
        using var demo = BackgroundCli.StartToolsInTerminal(["demo"]);
        await demo.WaitForLineAsync(l => l.Contains("kubeconfig:", StringComparison.Ordinal), "the kubeconfig line", Slow);
        var kubeconfig = Regex.Match(demo.Output, @"kubeconfig:\s+(\S+/kubeconfig)").Groups[1].Value;
        await demo.WaitForLineAsync(l => l.Contains("Running", StringComparison.Ordinal) && l.Contains("rdma-sample-", StringComparison.Ordinal),
            "the sample workload running in the live view", Slow);

        var scale = await KubectlAsync(kubeconfig, "patch", "deployment", "rdma-sample", "-n", "default", "--type", "merge", "-p", """{"spec":{"replicas":2}}""");
        Assert.True(scale.ExitCode == 0, scale.Output);
        await demo.UntilAsync(() => Task.FromResult(PodNames().Matches(demo.Output).Select(m => m.Value).Distinct().Count() >= 2),
            "the second replica in the live view", Slow);

        Assert.Contains("\u001b[", demo.Output, StringComparison.Ordinal);
    }

    private static bool Upgraded(string line) =>
        line.Contains("policy ready;", StringComparison.Ordinal) && Regex.IsMatch(line, @"; upgrade upgrade-done \d+;") && WorkloadWithAddress().IsMatch(line);

    private static string[] Output(BackgroundCli cli) => cli.Output.Split('\n');

    private static async Task<(int ExitCode, string Output)> KubectlAsync(string kubeconfig, params string[] args)
    {
        var psi = new ProcessStartInfo(Kubectl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["KUBECONFIG"] = kubeconfig;
        using var process = Process.Start(psi)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [GeneratedRegex(@"workload rdma-sample-[a-z0-9]+-[a-z0-9]+=Running@\S+ \[net1 10\.100\.0\.\d+ \(default/example-macvlannetwork\)\]")]
    private static partial Regex WorkloadWithAddress();

    [GeneratedRegex(@"rdma-sample-[a-z0-9]{6,10}-[a-z0-9]{5}")]
    private static partial Regex PodNames();
}
