using System.Diagnostics;
using System.Globalization;

namespace NetworkOperator.Tests.Shared;

/// <summary>
/// A long-running process of the operator binary (run) or the tools executable (sim, demo) whose output lines are
/// collected while it runs, stopped with SIGTERM as Kubernetes stops a container.
/// </summary>
internal sealed class BackgroundCli : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private BackgroundCli(Process process) => _process = process;

    /// <summary>Starts the operator binary.</summary>
    public static BackgroundCli Start(IEnumerable<string> args, IDictionary<string, string>? environment = null) =>
        Start(CliProcess.ExecutablePath, args, environment);

    /// <summary>Starts the tools executable.</summary>
    public static BackgroundCli StartTools(IEnumerable<string> args, IDictionary<string, string>? environment = null) =>
        Start(CliProcess.ToolsPath, args, environment);

    private static BackgroundCli Start(string assembly, IEnumerable<string> args, IDictionary<string, string>? environment)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[key] = value;
        }

        var cli = new BackgroundCli(Process.Start(psi) ?? throw new InvalidOperationException($"could not start {Path.GetFileNameWithoutExtension(assembly)}"));
        cli._process.OutputDataReceived += (_, e) => cli.Add(e.Data);
        cli._process.ErrorDataReceived += (_, e) => cli.Add(e.Data);
        cli._process.BeginOutputReadLine();
        cli._process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>
    /// Starts the command in a pseudo-terminal (util-linux <c>script</c>), so it sees a terminal as a user's shell gives
    /// it; the terminal's output, escape sequences included, is collected. Runs the tools executable (the demo).
    /// </summary>
    public static BackgroundCli StartToolsInTerminal(IEnumerable<string> args)
    {
        var command = string.Join(' ', new[] { "dotnet", CliProcess.ToolsPath }.Concat(args).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var psi = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-qfec", command, "/dev/null" })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["TERM"] = "xterm-256color";
        psi.Environment["COLUMNS"] = "120";
        psi.Environment["LINES"] = "50";
        var cli = new BackgroundCli(Process.Start(psi) ?? throw new InvalidOperationException("could not start script"));
        cli._process.OutputDataReceived += (_, e) => cli.Add(e.Data);
        cli._process.ErrorDataReceived += (_, e) => cli.Add(e.Data);
        cli._process.BeginOutputReadLine();
        cli._process.BeginErrorReadLine();
        return cli;
    }

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Waits until the process has printed a line that <paramref name="match"/> accepts.</summary>
    public Task WaitForLineAsync(Func<string, bool> match, string what, TimeSpan? timeout = null) =>
        UntilAsync(() =>
        {
            lock (_lines)
            {
                return Task.FromResult(_lines.Any(match));
            }
        }, what, timeout);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds while the process keeps running; a failure shows what the
    /// process printed, and a process that exits fails the wait at once.
    /// </summary>
    public Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        Eventually.HoldsAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"process exited while waiting for {what}:\n{Output}");
            }

            Assert.True(await condition(), $"timed out waiting for {what}:\n{Output}");
        }, timeout);

    /// <summary>Sends SIGTERM and returns the exit code once the process has stopped.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the process ends at once, mid-request or mid-write, as when a node dies or the OOM killer strikes.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }
}
