using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Cli.Tests;

[Trait("Category", "Slow")]
public class ValidateCommandTests
{
    [Fact]
    public async Task Valid_resources_pass_with_a_count()
    {
        using var files = new TempFiles();
        var policy = files.Write("policy.yaml", """
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata: {name: nic-cluster-policy}
            spec:
              ofedDriver: {image: doca-driver, repository: nvcr.io/nvidia/mellanox, version: 25.07-0.9.7.0-0}
            ---
            apiVersion: mellanox.com/v1alpha1
            kind: MacvlanNetwork
            metadata: {name: m}
            spec: {master: ens1, ipam: '{"type":"nv-ipam"}'}
            """);

        var result = await CliProcess.RunAsync("validate", "-f", policy);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("2 object(s) valid\n", result.StdOut);
    }

    [Fact]
    public async Task Rule_violations_name_file_object_field_and_line()
    {
        using var files = new TempFiles();
        var policy = files.Write("policy.yaml", """
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata:
              name: nic-cluster-policy
            spec:
              ofedDriver:
                image: doca-driver
                repository: nvcr.io/nvidia/mellanox
                version: latest
            """);

        var result = await CliProcess.RunAsync("validate", "-f", policy);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(
            $"error: {policy}: document 1 (NicClusterPolicy \"nic-cluster-policy\"): spec.ofedDriver.version (line 9, column 5): Invalid value: \"latest\": invalid driver version",
            result.StdErr,
            StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_policy_overlap_uses_the_node_inventory()
    {
        using var files = new TempFiles();
        var policies = files.Write("nnp.yaml", """
            apiVersion: mellanox.com/v1alpha1
            kind: NicNodePolicy
            metadata: {name: a}
            spec: {nodeSelector: {pool: x}}
            ---
            apiVersion: mellanox.com/v1alpha1
            kind: NicNodePolicy
            metadata: {name: b}
            spec: {nodeSelector: {pool: x}}
            """);
        var nodes = files.Write("nodes.yaml", """
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: Node, metadata: {name: worker-1, labels: {pool: x}}}
            """);

        var result = await CliProcess.RunAsync("validate", "-f", policies, "--nodes", nodes);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("node selector overlap detected: node \"worker-1\" is selected by policies: [a, b]", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warnings_do_not_fail()
    {
        using var files = new TempFiles();
        var network = files.Write("net.yaml", """
            apiVersion: mellanox.com/v1alpha1
            kind: MacvlanNetwork
            metadata: {name: m}
            spec: {master: ens1, ipam: '{"type":"my-ipam"}'}
            """);

        var result = await CliProcess.RunAsync("validate", "-f", network);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"warning: {network}: document 1 (MacvlanNetwork \"m\"): spec.ipam (line 4, column 22): ipam type \"my-ipam\"", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_input_is_reported_without_validating()
    {
        using var files = new TempFiles();
        var broken = files.Write("broken.yaml", "apiVersion: mellanox.com/v1alpha1\nkind: MacvlanNetwork\nmetadata: {name: m}\nspec: {mtu: big}\n");

        var result = await CliProcess.RunAsync("validate", "-f", broken);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("spec.mtu (line 4, column 8): expected an integer, got the string \"big\"", result.StdErr, StringComparison.Ordinal);
    }

    private sealed class TempFiles : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("validate-test-");

        public string Write(string name, string content)
        {
            var path = Path.Combine(_directory.FullName, name);
            File.WriteAllText(path, content);
            return path;
        }

        public void Dispose() => _directory.Delete(recursive: true);
    }
}
