using NetworkOperator.Api.Crds;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Cli.Tests;

[Trait("Category", "Slow")]
public class CrdsCommandTests
{
    [Fact]
    public async Task Crds_prints_every_crd_as_one_yaml_stream()
    {
        var result = await CliProcess.RunAsync("crds");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StdErr);
        Assert.Equal(CrdCatalog.ToYamlStream(), result.StdOut);
        Assert.Equal(6, result.StdOut.Split("\nkind: CustomResourceDefinition\n").Length - 1);
        Assert.Contains("name: nicclusterpolicies.mellanox.com", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("name: network-attachment-definitions.k8s.cni.cncf.io", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crds_output_dir_writes_one_file_per_crd_matching_the_chart()
    {
        var directory = Directory.CreateTempSubdirectory("crds-test-");
        try
        {
            var result = await CliProcess.RunAsync("crds", "--output-dir", directory.FullName);

            Assert.Equal(0, result.ExitCode);
            var files = directory.GetFiles().Select(f => f.Name).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(
                ["k8s.cni.cncf.io_network-attachment-definitions.yaml", "mellanox.com_hostdevicenetworks.yaml", "mellanox.com_ipoibnetworks.yaml",
                 "mellanox.com_macvlannetworks.yaml", "mellanox.com_nicclusterpolicies.yaml", "mellanox.com_nicnodepolicies.yaml"],
                files);
            foreach (var crd in CrdCatalog.All)
            {
                Assert.Equal(CrdCatalog.ToYaml(crd), await File.ReadAllTextAsync(Path.Combine(directory.FullName, CrdCatalog.FileNameOf(crd))));
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Crds_output_dir_that_cannot_be_created_is_a_user_error()
    {
        var file = Path.GetTempFileName();
        try
        {
            var result = await CliProcess.RunAsync("crds", "--output-dir", Path.Combine(file, "sub"));

            Assert.NotEqual(0, result.ExitCode);
            Assert.StartsWith("error: cannot write CRDs to", result.StdErr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
