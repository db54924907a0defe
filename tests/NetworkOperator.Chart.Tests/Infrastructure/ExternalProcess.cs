using System.Diagnostics;

namespace NetworkOperator.Chart.Tests.Infrastructure;

/// <summary>Runs an external program to completion and captures its output.</summary>
public static class ExternalProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string Output => StdOut + StdErr;

        /// <summary>Fails the test with the output when the program did not succeed.</summary>
        public Result EnsureSuccess()
        {
            Assert.True(ExitCode == 0, $"exit code {ExitCode}:\n{Output}");
            return this;
        }
    }

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> args, string? workingDirectory = null,
        IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryRoot.Path,
        };
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

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Generous: the machine is shared with parallel builds.
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', psi.ArgumentList)} did not exit in time");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
