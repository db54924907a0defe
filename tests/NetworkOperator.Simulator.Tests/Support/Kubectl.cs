using System.Diagnostics;
using System.Text;

namespace NetworkOperator.Simulator.Tests.Support;

/// <summary>Runs the real kubectl against a simulated server, with its own kubeconfig and discovery cache per instance.</summary>
public sealed class Kubectl : IDisposable
{
    public const string Path = "/usr/bin/kubectl";
    private readonly string _directory;
    private readonly string _kubeconfig;

    public Kubectl(SimulatedApiServer server)
    {
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException(
                $"kubectl not found at {Path}. Install it (e.g. `apt-get install -y kubectl` from the Kubernetes apt repository, " +
                "or the google-cloud-sdk kubectl component) so the conformance tests can run.");
        }

        _directory = Directory.CreateTempSubdirectory("kubectl-test-").FullName;
        _kubeconfig = server.WriteKubeconfig(System.IO.Path.Combine(_directory, "kubeconfig"));
        WorkingDirectory = _directory;
    }

    public string WorkingDirectory { get; }

    public string WriteFile(string name, string content)
    {
        var path = System.IO.Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async Task<KubectlResult> RunAsync(params string[] args) => await RunWithInputAsync(null, TimeSpan.FromSeconds(90), args);

    public async Task<KubectlResult> RunWithInputAsync(string? stdin, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(_kubeconfig);
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(System.IO.Path.Combine(_directory, "cache"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = _directory;
        start.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(start)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in {timeout}; stdout: {stdout}; stderr: {stderr}");
        }

        process.WaitForExit();
        lock (stdout)
        {
            return new KubectlResult(process.ExitCode, stdout.ToString(), stderr.ToString(), string.Join(' ', args));
        }
    }

    /// <summary>Starts a long-running kubectl (e.g. get -w) and returns it; the caller reads and kills it.</summary>
    public Process Start(params string[] args)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(_kubeconfig);
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(System.IO.Path.Combine(_directory, "cache"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["HOME"] = _directory;
        return Process.Start(start)!;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed record KubectlResult(int ExitCode, string Stdout, string Stderr, string Command)
{
    public KubectlResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"kubectl {Command} failed ({ExitCode}): {Stderr}\n{Stdout}");
        }

        return this;
    }
}
