namespace NetworkOperator.Simulator.Tests.Kubectl;

/// <summary>The real kubectl against the simulated server: discovery, get, create and apply.</summary>
[Trait("Category", "Slow")]
public sealed class KubectlBasicsTests : IAsyncLifetime
{
    private SimulatedApiServer _server = null!;
    private Support.Kubectl _kubectl = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedApiServer.StartNewAsync();
        _kubectl = new Support.Kubectl(_server);
    }

    public async Task DisposeAsync()
    {
        _kubectl.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Version_get_namespaces_and_short_names_work()
    {
        var version = (await _kubectl.RunAsync("version", "-o", "json")).EnsureSuccess();
        Assert.Contains("\"minor\": \"32\"", version.Stdout, StringComparison.Ordinal);

        var namespaces = (await _kubectl.RunAsync("get", "ns", "-o", "name")).EnsureSuccess();
        Assert.Equal(["namespace/default", "namespace/kube-node-lease", "namespace/kube-public", "namespace/kube-system"],
            namespaces.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());

        var empty = (await _kubectl.RunAsync("get", "secrets")).EnsureSuccess();
        Assert.Contains("No resources found in default namespace.", empty.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_get_yaml_and_client_side_apply_round_trip()
    {
        var file = _kubectl.WriteFile("cm.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              labels:
                app: demo
            data:
              mode: fast
            """);
        var created = (await _kubectl.RunAsync("create", "-f", file)).EnsureSuccess();
        Assert.Contains("configmap/settings created", created.Stdout, StringComparison.Ordinal);

        var yaml = (await _kubectl.RunAsync("get", "cm", "settings", "-o", "yaml")).EnsureSuccess();
        Assert.Contains("mode: fast", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("uid:", yaml.Stdout, StringComparison.Ordinal);
        Assert.Contains("resourceVersion:", yaml.Stdout, StringComparison.Ordinal);

        var again = await _kubectl.RunAsync("create", "-f", file);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("Error from server (AlreadyExists): error when creating", again.Stderr, StringComparison.Ordinal);

        File.WriteAllText(file, File.ReadAllText(file).Replace("mode: fast", "mode: slow", StringComparison.Ordinal));
        (await _kubectl.RunAsync("apply", "-f", file)).EnsureSuccess();
        var mode = (await _kubectl.RunAsync("get", "cm", "settings", "-o", "jsonpath={.data.mode}")).EnsureSuccess();
        Assert.Equal("slow", mode.Stdout.Trim());

        var applyNew = _kubectl.WriteFile("new.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: fresh
            data:
              a: "1"
            """);
        var applied = (await _kubectl.RunAsync("apply", "-f", applyNew)).EnsureSuccess();
        Assert.Contains("configmap/fresh created", applied.Stdout, StringComparison.Ordinal);
        var annotation = (await _kubectl.RunAsync("get", "cm", "fresh", "-o", "jsonpath={.metadata.annotations}")).EnsureSuccess();
        Assert.Contains("kubectl.kubernetes.io/last-applied-configuration", annotation.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_missing_object_prints_the_real_servers_not_found_message()
    {
        var result = await _kubectl.RunAsync("get", "cm", "nope");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Error from server (NotFound): configmaps \"nope\" not found", result.Stderr, StringComparison.Ordinal);
    }
}
