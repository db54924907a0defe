namespace NetworkOperator.Chart.Tests.Infrastructure;

/// <summary>
/// The real helm 4 binary. It is not a Debian package here, so the first use runs eng/install-test-tools.sh, which
/// fetches it into .tools/ (idempotent); `dotnet test` alone therefore works on a fresh clone.
/// </summary>
public static class Helm
{
    private static readonly Lazy<Task<string>> Binary = new(InstallAsync);

    public static Task<string> PathAsync() => Binary.Value;

    public static async Task<ExternalProcess.Result> RunAsync(params string[] args)
    {
        var helm = await PathAsync();
        // Isolated config/cache dirs: no user repositories or plugins change what helm does.
        var home = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "network-operator-chart-tests-helm");
        var env = new Dictionary<string, string>
        {
            ["HELM_CONFIG_HOME"] = System.IO.Path.Combine(home, "config"),
            ["HELM_CACHE_HOME"] = System.IO.Path.Combine(home, "cache"),
            ["HELM_DATA_HOME"] = System.IO.Path.Combine(home, "data"),
        };
        return await ExternalProcess.RunAsync(helm, args, environment: env);
    }

    private static async Task<string> InstallAsync()
    {
        var helm = RepositoryRoot.Combine(".tools", "helm", "helm");
        if (!File.Exists(helm))
        {
            var script = RepositoryRoot.Combine("eng", "install-test-tools.sh");
            var result = await ExternalProcess.RunAsync("bash", [script], timeout: TimeSpan.FromMinutes(10));
            if (result.ExitCode != 0 || !File.Exists(helm))
            {
                throw new InvalidOperationException($"{script} failed to fetch helm (exit {result.ExitCode}):\n{result.Output}");
            }
        }

        return helm;
    }
}
