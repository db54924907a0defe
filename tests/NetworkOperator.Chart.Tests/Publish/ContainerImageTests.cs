using System.Text.Json.Nodes;
using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests.Publish;

public class ContainerImageTests : IClassFixture<PublishedOperator>
{
    private readonly PublishedOperator _published;

    public ContainerImageTests(PublishedOperator published) => _published = published;

    [Fact]
    public void Dockerfile_builds_on_the_sdk_and_runs_on_the_aspnet_runtime_as_a_non_root_user()
    {
        var dockerfile = Dockerfile.Load();
        var from = dockerfile.Arguments("FROM").ToList();
        Assert.Equal(2, from.Count);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0 AS build", from[0]);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", from[1]);
        Assert.Equal(["src/NetworkOperator.Cli", "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", "/app"], dockerfile.PublishArguments());
        Assert.Equal("65532:65532", Assert.Single(dockerfile.Arguments("USER")));
        Assert.Contains("--from=build /app /app", dockerfile.Arguments("COPY"));
        Assert.Equal("[\"network-operator\"]", Assert.Single(dockerfile.Arguments("ENTRYPOINT")));
        Assert.Contains(dockerfile.Arguments("ENV"), e => e.Contains("PATH=\"/app:${PATH}\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_copies_the_charts_crds_to_slash_crds()
    {
        var copy = Assert.Single(Dockerfile.Load().Arguments("COPY"), c => c.EndsWith(" /crds/network-operator/", StringComparison.Ordinal));
        var source = copy.Split(' ')[0];
        Assert.Equal("deploy/helm/network-operator/crds/", source);
        Assert.NotEmpty(Directory.GetFiles(RepositoryRoot.Combine(source.Split('/', StringSplitOptions.RemoveEmptyEntries)), "*.yaml"));
    }

    [Fact]
    public async Task The_published_binary_prints_the_same_crds_the_image_carries()
    {
        Assert.True(_published.PublishResult.ExitCode == 0, _published.PublishResult.Output);

        var result = await _published.RunAsync("crds");

        Assert.True(result.ExitCode == 0, result.Output);
        var printed = YamlJson.ParseDocuments(result.StdOut).ToDictionary(c => RenderedChart.Name(c), c => c);
        var shipped = Directory.GetFiles(RepositoryRoot.Combine("deploy", "helm", "network-operator", "crds"), "*.yaml")
            .Select(f => YamlJson.ParseDocuments(File.ReadAllText(f)).Single())
            .ToDictionary(c => RenderedChart.Name(c), c => c);
        Assert.Contains("nicclusterpolicies.mellanox.com", printed.Keys);
        Assert.Equal(shipped.Keys.Order(StringComparer.Ordinal), printed.Keys.Order(StringComparer.Ordinal));
        Assert.All(shipped, kv => Assert.True(JsonNode.DeepEquals(kv.Value, printed[kv.Key]), $"{kv.Key} differs from the checked-in file"));
    }

    [Fact]
    public void Dockerignore_keeps_build_outputs_and_tools_out_of_the_context()
    {
        var lines = File.ReadAllLines(RepositoryRoot.Combine(".dockerignore")).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("**/bin/", lines);
        Assert.Contains("**/obj/", lines);
        Assert.Contains(".tools/", lines);
        Assert.Contains(".git/", lines);
        Assert.DoesNotContain("src/", lines);
        Assert.DoesNotContain("deploy/", lines);
    }

    [Fact]
    public async Task The_published_binary_starts_and_prints_its_version()
    {
        Assert.True(_published.PublishResult.ExitCode == 0, $"dotnet {string.Join(' ', _published.PublishCommand)} failed:\n{_published.PublishResult.Output}");

        var result = await _published.RunAsync("version");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Matches(@"^network-operator 26\.7\.0", result.StdOut);
    }

    [Fact]
    public void The_published_app_needs_the_aspnet_shared_framework_which_the_runtime_image_has()
    {
        Assert.True(_published.PublishResult.ExitCode == 0, _published.PublishResult.Output);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(_published.OutputDirectory, "network-operator.runtimeconfig.json")))!;
        var frameworks = (config["runtimeOptions"]!["frameworks"]?.AsArray().Select(f => f!["name"]!.GetValue<string>())
            ?? [config["runtimeOptions"]!["framework"]!["name"]!.GetValue<string>()]).ToList();
        Assert.Contains("Microsoft.AspNetCore.App", frameworks);
        // Framework-dependent: the runtime comes from the base image, not the publish folder.
        Assert.False(File.Exists(Path.Combine(_published.OutputDirectory, "libcoreclr.so")));
        Assert.True(File.Exists(_published.Executable));
    }
}
