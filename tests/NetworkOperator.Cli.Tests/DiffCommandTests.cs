using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using NetworkOperator.Api.Contract;
using NetworkOperator.Cli.Commands;
using NetworkOperator.Controllers.Hosting;
using NetworkOperator.Controllers.Preview;
using NetworkOperator.Controllers.Startup;
using NetworkOperator.Rendering.Preview;
using NetworkOperator.Simulator;
using NetworkOperator.Simulator.Auth;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Cli.Tests;

/// <summary>
/// `network-operator diff` as a process against the embedded API server, before and after the real operator (run in
/// this test process) reconciled the example policy, then with edits. The kubeconfig's user is only used by the diff
/// process, so the audit log shows exactly what it sent: reads only.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DiffCommandTests : IDisposable
{
    private const string Namespace = "nvidia-network-operator";
    private const string OldVersion = "doca3.1.0-25.07-0.9.7.0-0";

    private readonly string _dir = Directory.CreateTempSubdirectory("diff-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Examples => Path.Combine(FindRoot(), "examples");

    [Fact]
    public async Task Diff_shows_creates_then_nothing_after_the_operator_then_driver_updates_and_deletes_and_never_writes()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var kubeconfig = DiffUserKubeconfig(server);
        using var client = server.CreateClient();
        await PrepareClusterAsync(client);
        var policyFile = Path.Combine(Examples, "nicclusterpolicy-full.yaml");

        // 1. Nothing applied yet: everything would be created, exit code 2.
        var (code, plan) = await DiffJsonAsync(kubeconfig, policyFile);
        Assert.Equal(DiffCommand.ChangesExitCode, code);
        Assert.True(plan["hasChanges"]!.GetValue<bool>());
        Assert.All(Changes(plan), c => Assert.Contains(c["action"]!.GetValue<string>(), new[] { "create", "notServed" }));
        // examples/nodes.yaml: five nodes, four of them NIC workers over three OS/kernel pools.
        Assert.Equal(5, plan["nodes"]!.GetValue<int>());
        Assert.Equal(3, plan["driverPools"]!.AsArray().Count);
        Assert.Equal(4, plan["driverPools"]!.AsArray().Sum(p => p!["nodes"]!.GetValue<int>()));

        // 2. The operator reconciles the same policy: nothing left to change, exit code 0.
        await CreatePolicyAsync(client, policyFile);
        var host = await OperatorHost.CreateAsync(server.CreateClient(), new OperatorOptions
        {
            Environment = new OperatorEnvironment { Namespace = Namespace, NotReadyRequeue = TimeSpan.FromMilliseconds(300) },
            Tags = new OfflineTagLister(),
        }, NullLoggerFactory.Instance);
        using (var stop = new CancellationTokenSource())
        {
            var run = Task.Run(() => host.RunAsync(stop.Token));
            await Eventually.TrueAsync(async () => !(await PlanInProcessAsync(client, policyFile)).HasChanges, "operator applied the policy");
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
            await host.DisposeAsync();
        }

        var table = await CliProcess.RunAsync("diff", "-f", policyFile, "--kubeconfig", kubeconfig);
        Assert.True(table.ExitCode == 0, table.StdErr + table.StdOut);
        Assert.Contains("nothing to change", table.StdOut, StringComparison.Ordinal);
        Assert.Contains("unchanged", table.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("create", table.StdOut, StringComparison.Ordinal);

        // 3. The driver version edited: only the driver DaemonSets (and the policy) update, with the restart note.
        var edited = Write("upgrade.yaml", (await File.ReadAllTextAsync(policyFile)).Replace(OldVersion, "doca3.2.0-25.10-1.2.8.0-0", StringComparison.Ordinal));
        (code, plan) = await DiffJsonAsync(kubeconfig, edited);
        Assert.Equal(DiffCommand.ChangesExitCode, code);
        var updates = Changes(plan).Where(c => c["action"]!.GetValue<string>() == "update").ToList();
        Assert.Equal(4, updates.Count);
        Assert.Single(updates, c => c["kind"]!.GetValue<string>() == "NicClusterPolicy");
        Assert.All(updates.Where(c => c["kind"]!.GetValue<string>() != "NicClusterPolicy"), c =>
        {
            Assert.Equal("DaemonSet", c["kind"]!.GetValue<string>());
            Assert.Equal(StateNames.Ofed, c["state"]!.GetValue<string>());
            Assert.Contains("driver upgrade", c["note"]!.GetValue<string>(), StringComparison.Ordinal);
        });
        Assert.All(Changes(plan).Except(updates), c => Assert.Contains(c["action"]!.GetValue<string>(), new[] { "unchanged", "notServed" }));
        var upgradeTable = await CliProcess.RunAsync("diff", "-f", edited, "--kubeconfig", kubeconfig);
        Assert.Equal(DiffCommand.ChangesExitCode, upgradeTable.ExitCode);
        Assert.Contains("driver pods restart node by node", upgradeTable.StdOut, StringComparison.Ordinal);
        AssertOnlyChangesListed(plan, upgradeTable.StdOut, all: false);
        var allTable = await CliProcess.RunAsync("diff", "-f", edited, "--kubeconfig", kubeconfig, "--all");
        Assert.Equal(DiffCommand.ChangesExitCode, allTable.ExitCode);
        AssertOnlyChangesListed(plan, allTable.StdOut, all: true);

        // A 40-column terminal: the rows still hold every name whole (the terminal wraps long lines, the table does not).
        var narrow = await RunInNarrowTerminalAsync(40, "diff", "-f", edited, "--kubeconfig", kubeconfig);
        AssertOnlyChangesListed(plan, narrow, all: false);

        // 4. A section removed: its objects would be deleted, nothing else changes but the policy.
        var full = await File.ReadAllTextAsync(policyFile);
        var start = full.IndexOf("  nicFeatureDiscovery:", StringComparison.Ordinal);
        var end = full.IndexOf("  docaTelemetryService:", StringComparison.Ordinal);
        var removed = Write("removed.yaml", full[..start] + full[end..]);
        (code, plan) = await DiffJsonAsync(kubeconfig, removed);
        Assert.Equal(DiffCommand.ChangesExitCode, code);
        var deletes = Changes(plan).Where(c => c["action"]!.GetValue<string>() == "delete").ToList();
        Assert.NotEmpty(deletes);
        Assert.All(deletes, c => Assert.Equal(StateNames.NicFeatureDiscovery, c["state"]!.GetValue<string>()));
        Assert.Contains(deletes, c => c["name"]!.GetValue<string>() == "nic-feature-discovery-ds");
        Assert.All(Changes(plan).Where(c => c["action"]!.GetValue<string>() is "create" or "update"), c => Assert.Equal("NicClusterPolicy", c["kind"]!.GetValue<string>()));

        // The diff process (the kubeconfig's user) only ever read.
        var requests = server.Audit.ByUser(DiffUser);
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.Contains(r.Verb, new[] { "get", "list" }));
    }

    [Fact]
    public async Task Invalid_policy_is_reported_with_file_object_and_field_without_a_stack_trace_and_without_touching_the_cluster()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var kubeconfig = DiffUserKubeconfig(server);
        var bad = Write("bad.yaml", """
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata:
              name: nic-cluster-policy
            spec:
              ofedDriver:
                image: doca-driver
                repository: nvcr.io/nvidia/mellanox
                version: doca3.1.0-25.07-0.9.7.0-0
                upgradePolicy:
                  maxParallelUpgrades: -1
            """);

        var result = await CliProcess.RunAsync("diff", "-f", bad, "--kubeconfig", kubeconfig);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bad.yaml", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("NicClusterPolicy \"nic-cluster-policy\"", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("spec.ofedDriver.upgradePolicy.maxParallelUpgrades", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.Empty(server.Audit.ByUser(DiffUser));
    }

    [Fact]
    public async Task A_user_the_server_refuses_is_told_what_was_refused_in_one_line()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var kubeconfig = UserKubeconfig(server, new UserInfo("no-rights", []));
        // Any valid input: the cluster is read before anything is planned.
        var policy = Path.Combine(FindRoot(), "examples", "macvlannetwork.yaml");

        var result = await CliProcess.RunAsync("diff", "-f", policy, "--kubeconfig", kubeconfig);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: reading the cluster failed: 403 Forbidden: ", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("User \"no-rights\" cannot", result.StdErr, StringComparison.Ordinal);
        Assert.Single(result.StdErr.Trim().Split('\n'));
        Assert.Equal(string.Empty, result.StdOut);
    }

    [Fact]
    public async Task A_component_that_cannot_render_on_this_cluster_still_prints_the_plan_and_exits_1()
    {
        await using var server = await SimulatedApiServer.StartNewAsync();
        var kubeconfig = DiffUserKubeconfig(server);
        using var client = server.CreateClient();
        await PrepareClusterAsync(client);
        var policy = Write("missing-ca.yaml", """
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata:
              name: nic-cluster-policy
            spec:
              ofedDriver:
                image: doca-driver
                repository: nvcr.io/nvidia/mellanox
                version: doca3.1.0-25.07-0.9.7.0-0
                certConfig:
                  name: absent-ca
              nvIpam:
                image: nvidia-k8s-ipam
                repository: ghcr.io/mellanox
                version: v0.3.7
            """);

        var result = await CliProcess.RunAsync("diff", "-f", policy, "--kubeconfig", kubeconfig);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("absent-ca", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("state-OFED", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("state-nv-ipam-cni", result.StdOut, StringComparison.Ordinal);
        Assert.All(server.Audit.ByUser(DiffUser), r => Assert.Contains(r.Verb, new[] { "get", "list" }));
    }

    /// <summary>
    /// Every changed object has a row naming it whole on one line (action, kind and name in order); unchanged ones have
    /// rows only with --all.
    /// </summary>
    private static void AssertOnlyChangesListed(JsonObject plan, string output, bool all)
    {
        var lines = output.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Replace(l, "\u001b\\[[0-9;?]*[A-Za-z]", string.Empty)).ToList();
        foreach (var change in Changes(plan))
        {
            var action = change["action"]!.GetValue<string>();
            var ns = change["namespace"]?.GetValue<string>();
            var name = string.IsNullOrEmpty(ns) ? change["name"]!.GetValue<string>() : $"{ns}/{change["name"]!.GetValue<string>()}";
            var kind = change["kind"]!.GetValue<string>();
            var row = lines.Where(l => l.Contains(" " + name + " ", StringComparison.Ordinal) && l.Contains(" " + kind + " ", StringComparison.Ordinal)).ToList();
            if (action == "unchanged" && !all)
            {
                Assert.Empty(row);
            }
            else
            {
                Assert.True(row.Count == 1, $"{kind} {name} ({action}) is not on exactly one line of:\n{output}");
            }
        }

        Assert.Contains(all ? "unchanged" : "--all lists the unchanged objects", output, StringComparison.Ordinal);
    }

    /// <summary>Runs the command in a pseudo-terminal of the given width (util-linux <c>script</c>, <c>stty cols</c>).</summary>
    private static async Task<string> RunInNarrowTerminalAsync(int columns, params string[] args)
    {
        var command = $"stty cols {columns} rows 50; " + string.Join(' ', new[] { "dotnet", CliProcess.ExecutablePath }.Concat(args)
            .Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var psi = new System.Diagnostics.ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-qfec", command, "/dev/null" })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["TERM"] = "xterm-256color";
        psi.Environment.Remove("COLUMNS");
        using var process = System.Diagnostics.Process.Start(psi) ?? throw new InvalidOperationException("could not start script");
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (await stdout).Replace("\r", string.Empty, StringComparison.Ordinal);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<(int Code, JsonObject Plan)> DiffJsonAsync(string kubeconfig, string file)
    {
        var result = await CliProcess.RunAsync("diff", "-f", file, "--kubeconfig", kubeconfig, "-o", "json");
        Assert.True(result.ExitCode != 1, result.StdErr);
        return (result.ExitCode, (JsonObject)JsonNode.Parse(result.StdOut)!);
    }

    private static List<JsonNode> Changes(JsonObject plan) => [.. plan["changes"]!.AsArray().Select(c => c!)];

    private static async Task PrepareClusterAsync(Kubernetes client)
    {
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        await CrdInstaller.InstallAsync(client, NullLogger.Instance, TimeProvider.System, CancellationToken.None);
        foreach (var node in RenderInput.Load([], Path.Combine(Examples, "nodes.yaml")).Nodes)
        {
            node.Metadata.ResourceVersion = null;
            node.Metadata.Uid = null;
            await client.CoreV1.CreateNodeAsync(node);
        }
    }

    // What `kubectl apply -f` of the example would create: the certificate ConfigMap and the policy.
    private static async Task CreatePolicyAsync(Kubernetes client, string file)
    {
        var input = RenderInput.Load([file], null);
        foreach (var (name, keys) in input.ConfigMapKeys)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
                Data = keys.ToDictionary(k => k, _ => "certificate"),
            }, Namespace);
        }

        foreach (var resource in input.Resources)
        {
            await client.CustomObjects.CreateClusterCustomObjectAsync(resource, ApiGroup.Group, "v1alpha1", "nicclusterpolicies");
        }
    }

    private static async Task<ChangePlan> PlanInProcessAsync(Kubernetes client, string file)
    {
        var cluster = await LiveCluster.ReadAsync(client, Namespace, CancellationToken.None);
        var input = RenderInput.Load([file], null, cluster.ValidationContext);
        return ChangePlanner.Plan(input.Resources, cluster, ChangePlanner.Facts(cluster, input.ConfigMapKeys));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NetworkOperator.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }

    private const string DiffUser = "diff-user";

    /// <summary>A kubeconfig for a cluster admin of its own name, so the audit log tells the diff's requests from the test's.</summary>
    private string DiffUserKubeconfig(SimulatedApiServer server) => UserKubeconfig(server, new UserInfo(DiffUser, [UserInfo.MastersGroup]));

    private string UserKubeconfig(SimulatedApiServer server, UserInfo user)
    {
        var token = server.Authentication.AddToken(user);
        var path = Path.Combine(_dir, user.Name + ".kubeconfig");
        NetworkOperator.Simulator.Kubeconfig.Write(path, server.SecureAddress, token, server.CertificateAuthorityPem);
        return path;
    }
}
