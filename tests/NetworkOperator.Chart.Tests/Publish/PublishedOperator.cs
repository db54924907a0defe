using System.Runtime.InteropServices;
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
        PublishResult = await ExternalProcess.RunAsync("dotnet", PublishCommand, timeout: TimeSpan.FromMinutes(10));
    }

    /// <summary>Starts the published apphost the way the container does (by its file name, not through `dotnet`).</summary>
    public Task<ExternalProcess.Result> RunAsync(params string[] args)
    {
        // The apphost finds the shared runtime through DOTNET_ROOT; point it at the runtime running these tests.
        var dotnetRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        return ExternalProcess.RunAsync(Executable, args, workingDirectory: Path.GetTempPath(),
            environment: new Dictionary<string, string> { ["DOTNET_ROOT"] = dotnetRoot });
    }

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
