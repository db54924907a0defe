using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests.Publish;

/// <summary>
/// Runs the Dockerfile's `dotnet publish` once per test run into a temp folder (no container engine here), so the tests
/// can start the very binary the image would contain. Intermediate files go to a private artifacts folder so the
/// publish never races a build of the same projects.
/// </summary>
public sealed class PublishedOperator : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"network-operator-publish-{Guid.NewGuid():N}");

    public string OutputDirectory => Path.Combine(_root, "app");

    public ExternalProcess.Result PublishResult { get; private set; } = new(-1, string.Empty, string.Empty);

    public IReadOnlyList<string> PublishCommand { get; private set; } = [];

    public string Executable => Path.Combine(OutputDirectory, "network-operator");

    public async Task InitializeAsync()
    {
        var args = Dockerfile.Load().PublishArguments().ToList();
        var output = args.IndexOf("-o");
        Assert.True(output >= 0 && output + 1 < args.Count, "the Dockerfile's dotnet publish has no -o");
        args[output + 1] = OutputDirectory;
        args.AddRange(["--artifacts-path", Path.Combine(_root, "artifacts")]);
        PublishCommand = ["publish", .. args];
        // Native AOT compiles the whole program: minutes on two cores, longer while other test projects run beside it.
        PublishResult = await ExternalProcess.RunAsync("dotnet", PublishCommand, timeout: TimeSpan.FromMinutes(30));
    }

    /// <summary>
    /// Starts the published executable the way the container does, by its file name, with no .NET installation in
    /// sight: DOTNET_ROOT points nowhere, so a binary that still needed the shared runtime would fail to start.
    /// </summary>
    public Task<ExternalProcess.Result> RunAsync(params string[] args) => RunAsync(TimeSpan.FromMinutes(2), args);

    public Task<ExternalProcess.Result> RunAsync(TimeSpan timeout, params string[] args) =>
        ExternalProcess.RunAsync(Executable, args, workingDirectory: Path.GetTempPath(), timeout: timeout,
            environment: new Dictionary<string, string> { ["DOTNET_ROOT"] = Path.Combine(_root, "no-dotnet-here") });

    /// <summary>
    /// The tools' <c>demo</c> (built beside the tests) with this published binary as its operator process, which
    /// inherits the environment without a .NET installation.
    /// </summary>
    public Task<ExternalProcess.Result> RunDemoAsync(TimeSpan timeout, params string[] args) =>
        ExternalProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "network-operator-tools.dll"), "demo", "--operator-binary", Executable, .. args],
            workingDirectory: Path.GetTempPath(), timeout: timeout,
            environment: new Dictionary<string, string> { ["DOTNET_ROOT"] = Path.Combine(_root, "no-dotnet-here") });

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }

        return Task.CompletedTask;
    }
}
