using System.Diagnostics;

namespace NetworkOperator.Tests.Shared;

/// <summary>
/// Runs a real executable built beside the tests as a separate process: the operator binary (<c>network-operator</c>)
/// or the tools executable (<c>network-operator-tools</c>: demo, sim, bench-*).
/// </summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    /// <summary>The operator binary's assembly.</summary>
    public static string ExecutablePath => Path.Combine(AppContext.BaseDirectory, "network-operator.dll");

    /// <summary>The tools executable's assembly (only in test projects that reference NetworkOperator.Tools).</summary>
    public static string ToolsPath => Path.Combine(AppContext.BaseDirectory, "network-operator-tools.dll");

    public static Task<Result> RunAsync(IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        RunProcessAsync(ExecutablePath, args, workingDirectory, environment, timeout);

    public static Task<Result> RunToolsAsync(IEnumerable<string> args, string? workingDirectory = null, IDictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        RunProcessAsync(ToolsPath, args, workingDirectory, environment, timeout);

    public static Task<Result> RunToolsAsync(params string[] args) => RunToolsAsync((IEnumerable<string>)args);

    private static async Task<Result> RunProcessAsync(string assembly, IEnumerable<string> args, string? workingDirectory, IDictionary<string, string>? environment, TimeSpan? timeout)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                psi.Environment[key] = value;
            }
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {Path.GetFileNameWithoutExtension(assembly)}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileNameWithoutExtension(assembly)} {string.Join(' ', psi.ArgumentList.Skip(1))} did not exit in time");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    public static Task<Result> RunAsync(params string[] args) => RunAsync((IEnumerable<string>)args);
}
