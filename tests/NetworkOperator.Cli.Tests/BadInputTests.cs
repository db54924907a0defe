using System.Diagnostics;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Cli.Tests;

/// <summary>
/// Bad input through the real executable: one file per category, run through both <c>validate</c> and <c>render</c>.
/// Both refuse it with exit code 1 and the field path, and neither crashes (no stack trace, no abort).
/// </summary>
[Trait("Category", "Slow")]
public sealed class BadInputTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("bad-input-");

    public void Dispose() => _directory.Delete(recursive: true);

    private const string OfedImage = "  ofedDriver: {image: doca-driver, repository: nvcr.io/nvidia/mellanox";

    private const string Ofed = OfedImage + ", version: 25.07-0.9.7.0-0";

    private static string Policy(string spec) =>
        $"apiVersion: mellanox.com/v1alpha1\nkind: NicClusterPolicy\nmetadata: {{name: nic-cluster-policy}}\nspec:\n{spec}";

    private static string Macvlan(string spec, string name = "m") =>
        $"apiVersion: mellanox.com/v1alpha1\nkind: MacvlanNetwork\nmetadata: {{name: {name}}}\nspec:\n{spec}";

    public static TheoryData<string, string, string> Categories => new()
    {
        { "object name", Macvlan("  master: ens1\n", "Tenant_A"), "metadata.name" },
        { "image repository", Policy("  nvIpam: {image: nvidia-k8s-ipam, repository: 'ghcr.io/mellanox;id', version: v0.3.7}\n"), "spec.nvIpam.repository" },
        { "image name", Policy("  nvIpam: {image: --privileged, repository: ghcr.io/mellanox, version: v0.3.7}\n"), "spec.nvIpam.image" },
        { "version with trailing newline", Policy(OfedImage + ", version: \"25.07-0.9.7.0-0\\n\"}\n"), "spec.ofedDriver.version" },
        { "CIDR", Macvlan("  master: ens1\n  ipam: '{\"type\":\"whereabouts\",\"range\":\"10.0.0.0/33\"}'\n"), "spec.ipam" },
        { "IP range order", Macvlan("  master: ens1\n  ipam: '{\"type\":\"host-local\",\"subnet\":\"10.0.0.0/24\",\"rangeStart\":\"10.0.0.9\",\"rangeEnd\":\"10.0.0.1\"}'\n"), "spec.ipam" },
        { "duplicate key in ipam", Macvlan("  master: ens1\n  ipam: '{\"type\":\"nv-ipam\",\"type\":\"whereabouts\"}'\n"), "spec.ipam" },
        { "env var name", Policy(Ofed + ", env: [{name: 'A=B', value: x}]}\n"), "spec.ofedDriver.env[0].name" },
        { "pull secret", Policy("  nvIpam: {image: nvidia-k8s-ipam, repository: ghcr.io/mellanox, version: v0.3.7, imagePullSecrets: [My_Secret]}\n"), "spec.nvIpam.imagePullSecrets[0]" },
        { "maxUnavailable", Policy(Ofed + ", upgradePolicy: {autoUpgrade: true, maxUnavailable: '150%'}}\n"), "spec.ofedDriver.upgradePolicy.maxUnavailable" },
        { "pod selector", Policy(Ofed + ", upgradePolicy: {autoUpgrade: true, drain: {podSelector: 'app in (a'}}}\n"), "spec.ofedDriver.upgradePolicy.drain.podSelector" },
        { "interface name", Macvlan("  master: 'a-very-long-interface'\n"), "spec.master" },
        { "empty ufmSecret", Policy("  ibKubernetes: {image: ib-kubernetes, repository: ghcr.io/mellanox, version: v1, pKeyGUIDPoolRangeStart: '02:00:00:00:00:00:00:00', pKeyGUIDPoolRangeEnd: '02:FF:FF:FF:FF:FF:FF:FF', ufmSecret: ''}\n"), "spec.ibKubernetes.ufmSecret" },
    };

    [Theory]
    [MemberData(nameof(Categories))]
    public async Task Validate_and_render_refuse_it_alike_with_the_field_path(string category, string yaml, string field)
    {
        var file = Write(category.Replace(' ', '-') + ".yaml", yaml);

        foreach (var command in new[] { "validate", "render" })
        {
            var result = await CliProcess.RunAsync(command, "-f", file);

            Assert.True(result.ExitCode == 1, $"{command}: exit {result.ExitCode}\n{result.StdErr}");
            Assert.Contains(field, result.StdErr, StringComparison.Ordinal);
            Assert.Contains(file, result.StdErr, StringComparison.Ordinal);
            AssertNoCrash(result);
            Assert.Equal(string.Empty, result.StdOut);
        }
    }

    [Fact]
    public async Task Devices_fifos_and_directories_are_refused_with_one_line()
    {
        var fifo = Path.Combine(_directory.FullName, "pipe.yaml");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!)
        {
            await mkfifo.WaitForExitAsync();
        }

        foreach (var (path, reason) in new[]
                 {
                     ("/dev/zero", "is a device, not a regular file"),
                     (fifo, "is a FIFO (named pipe), not a regular file"),
                     (_directory.FullName, "is a directory, not a file"),
                 })
        {
            var result = await CliProcess.RunAsync("validate", "-f", path);

            Assert.Equal(1, result.ExitCode);
            Assert.StartsWith($"error: {path}: {reason}", result.StdErr, StringComparison.Ordinal);
            Assert.Single(result.StdErr.TrimEnd('\n').Split('\n'));
        }
    }

    [Fact]
    public async Task Terminal_escape_sequences_in_names_are_printed_escaped()
    {
        var file = Write("escape.yaml", Macvlan("  master: ens1\n", "\"x\\e[2J\\e]0;pwned\\a\""));

        var result = await CliProcess.RunAsync("validate", "-f", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("metadata.name", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain('\x1b', result.StdErr);
        Assert.DoesNotContain('\a', result.StdErr);
        Assert.Contains("x\\e[2J\\e]0;pwned\\u0007", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kinds_the_operator_does_not_own_are_reported_and_skipped_by_both_commands()
    {
        var file = Write("with-ippool.yaml", """
            apiVersion: nv-ipam.nvidia.com/v1alpha1
            kind: IPPool
            metadata: {name: pool1, namespace: nvidia-network-operator}
            spec: {subnet: 192.168.0.0/16, perNodeBlockSize: 100, gateway: 192.168.0.1}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: certs}
            data: {ca.crt: x}
            ---
            apiVersion: mellanox.com/v1alpha1
            kind: MacvlanNetwork
            metadata: {name: m}
            spec: {master: ens1, ipam: '{"type":"nv-ipam","poolName":"pool1"}'}
            """);

        var validate = await CliProcess.RunAsync("validate", "-f", file);
        var render = await CliProcess.RunAsync("render", "-f", file);

        Assert.Equal(0, validate.ExitCode);
        Assert.Equal("1 object(s) valid\n", validate.StdOut);
        Assert.Equal(0, render.ExitCode);
        Assert.Contains("kind: NetworkAttachmentDefinition", render.StdOut, StringComparison.Ordinal);
        foreach (var result in new[] { validate, render })
        {
            Assert.Contains($"note: {file}: document 1 (IPPool \"pool1\")", result.StdErr, StringComparison.Ordinal);
            Assert.Contains("skipped: IPPool (nv-ipam.nvidia.com/v1alpha1)", result.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain("ConfigMap", result.StdErr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Validate_and_render_agree_on_every_example()
    {
        var examples = Path.Combine(RepositoryRoot(), "examples");
        var nodes = Path.Combine(examples, "nodes.yaml");
        foreach (var example in Directory.GetFiles(examples, "*.yaml").Where(f => f != nodes).Order(StringComparer.Ordinal))
        {
            var validate = await CliProcess.RunAsync("validate", "-f", example, "--nodes", nodes);
            var render = await CliProcess.RunAsync("render", "-f", example, "--nodes", nodes);

            Assert.True(validate.ExitCode == 0, $"validate {example}: {validate.StdErr}");
            Assert.True(render.ExitCode == 0, $"render {example}: {render.StdErr}");
        }
    }

    private static void AssertNoCrash(CliProcess.Result result)
    {
        Assert.NotEqual(134, result.ExitCode);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.StdErr, StringComparison.Ordinal);
        Assert.StartsWith("error: ", result.StdErr, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "NetworkOperator.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }
}
