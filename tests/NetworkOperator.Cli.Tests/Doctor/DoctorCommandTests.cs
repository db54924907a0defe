using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using NetworkOperator.Cli.Commands;
using NetworkOperator.Cli.Doctor;
using NetworkOperator.Simulator.Auth;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Cli.Tests.Doctor;

/// <summary>
/// `network-operator doctor` as a process, run by a user holding only the ClusterRole of docs/doctor-rbac.yaml: exit
/// codes, the text and JSON reports, and the support bundle's layout, logs and absence of Secret data.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DoctorCommandTests : IDisposable
{
    private const string SupportUser = "support-engineer";
    private const string PullSecretToken = "c2VjcmV0LXJlZ2lzdHJ5LXRva2Vu-do-not-leak";

    private readonly string _dir = Directory.CreateTempSubdirectory("doctor-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Doctor_reports_healthy_then_a_cause_with_exit_1_and_writes_a_bundle_without_secret_data_using_only_reads()
    {
        await using var cluster = await DoctorCluster.StartAsync();
        var kubeconfig = await SupportUserKubeconfigAsync(cluster);
        // A pull secret the policy uses: its data must not reach the bundle.
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "ngc-secret" },
            Type = "kubernetes.io/dockerconfigjson",
            Data = new Dictionary<string, byte[]>
            {
                [".dockerconfigjson"] = Encoding.UTF8.GetBytes("{\"auths\":{\"nvcr.io\":{\"auth\":\"" + PullSecretToken + "\"}}}"),
            },
        }, DoctorCluster.Namespace);
        await cluster.StartOperatorAsync();
        await cluster.ApplyAsync(DoctorCluster.Policy(driverExtra: "    imagePullSecrets: [ngc-secret]\n"));
        await cluster.DiagnoseUntilAsync(r => r.Healthy && r.Snapshot.ClusterPolicies.Single().Str("status", "state") == "ready", "policy ready");

        var healthy = await CliProcess.RunAsync("doctor", "--kubeconfig", kubeconfig);
        Assert.True(healthy.ExitCode == 0, healthy.StdOut + healthy.StdErr);
        Assert.Contains("healthy", healthy.StdOut, StringComparison.Ordinal);
        Assert.Contains("state-OFED", healthy.StdOut, StringComparison.Ordinal);
        Assert.Contains("state-multus-cni", healthy.StdOut, StringComparison.Ordinal);

        // One cause: a network in a namespace that does not exist.
        await cluster.ApplyAsync("""
            apiVersion: mellanox.com/v1alpha1
            kind: MacvlanNetwork
            metadata:
              name: rdma-net
            spec:
              networkNamespace: team-a
              master: ens2f0
              ipam: '{"type": "host-local", "subnet": "10.10.0.0/24"}'
            """);
        var json = await CliProcess.RunAsync("doctor", "--kubeconfig", kubeconfig, "-o", "json");
        Assert.True(json.ExitCode == DoctorCommand.NotHealthyExitCode, json.StdOut + json.StdErr);
        var report = (JsonObject)JsonNode.Parse(json.StdOut)!;
        Assert.Equal(DoctorReport.SchemaVersion, report["schemaVersion"]!.GetValue<int>());
        Assert.False(report["healthy"]!.GetValue<bool>());
        Assert.Equal(2, report["nodes"]!["nic"]!.GetValue<int>());
        var finding = Assert.Single(report["findings"]!.AsArray());
        Assert.Equal(1, finding!["rank"]!.GetValue<int>());
        Assert.Equal("error", finding["severity"]!.GetValue<string>());
        Assert.Equal(DoctorCauses.NetworkNamespaceMissing, finding["cause"]!.GetValue<string>());
        Assert.Equal("MacvlanNetwork rdma-net", finding["object"]!.GetValue<string>());
        Assert.Contains("kubectl create namespace team-a", finding["fix"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var key in new[] { "rank", "severity", "cause", "object", "component", "nodes", "message", "fix" })
        {
            Assert.True(((JsonObject)finding).ContainsKey(key), key);
        }

        var text = await CliProcess.RunAsync("doctor", "--kubeconfig", kubeconfig);
        Assert.Equal(DoctorCommand.NotHealthyExitCode, text.ExitCode);
        Assert.Contains("1. error networkNamespaceMissing  MacvlanNetwork rdma-net", text.StdOut, StringComparison.Ordinal);
        Assert.Contains("fix: kubectl create namespace team-a", text.StdOut, StringComparison.Ordinal);
        // Lines are whole, not broken at 80 columns when piped.
        Assert.Contains(text.StdOut.Split('\n'), l => l.StartsWith("   fix: kubectl create namespace team-a, ", StringComparison.Ordinal) && l.Length > 80);
        // Nor padded: the component table's rows end with their message, not with the longest message's width of spaces.
        Assert.DoesNotContain(text.StdOut.Split('\n'), l => l.EndsWith(' '));
        Assert.Contains(text.StdOut.Split('\n'), l => l.Contains("state-multus-cni", StringComparison.Ordinal));
        Assert.Contains("not healthy: 1 error", text.StdOut, StringComparison.Ordinal);

        // The bundle: a driver pod's log line, the policy with its status, nodes, Events, versions; no Secret data.
        var driver = (await cluster.Client.CoreV1.ListNamespacedPodAsync(DoctorCluster.Namespace, labelSelector: "nvidia.com/ofed-driver")).Items
            .OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).First();
        cluster.Cluster.Server.ContainerLogs.Append(DoctorCluster.Namespace, driver.Metadata.Name, driver.Spec.Containers[0].Name, "driver loaded: mlx5_core");
        var bundlePath = Path.Combine(_dir, "support.tar.gz");
        var bundle = await CliProcess.RunAsync("doctor", "--kubeconfig", kubeconfig, "--bundle", bundlePath);
        Assert.True(bundle.ExitCode == DoctorCommand.NotHealthyExitCode, bundle.StdErr);
        Assert.Contains($"support bundle written to {bundlePath}", bundle.StdErr, StringComparison.Ordinal);
        var files = await ReadBundleAsync(bundlePath);
        foreach (var expected in new[]
                 {
                     "README.txt", "doctor.json", "version.json", "crds.json", "events.json", "cluster/nodes.json", "cluster/namespaces.json",
                     "policies/nicclusterpolicies.json", "policies/nicnodepolicies.json", "networks/networks.json",
                     "networks/network-attachment-definitions.json", "operator-namespace/daemonsets.json", "operator-namespace/deployments.json",
                     "operator-namespace/pods.json", $"logs/{driver.Metadata.Name}/{driver.Spec.Containers[0].Name}.log",
                 })
        {
            Assert.True(files.ContainsKey($"{SupportBundle.Root}/{expected}"), $"{expected} missing; bundle has: {string.Join(", ", files.Keys)}");
        }

        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), files.Keys);
        Assert.Equal("driver loaded: mlx5_core\n", files[$"{SupportBundle.Root}/logs/{driver.Metadata.Name}/{driver.Spec.Containers[0].Name}.log"]);
        var policies = JsonNode.Parse(files[$"{SupportBundle.Root}/policies/nicclusterpolicies.json"])!;
        Assert.Equal("ready", policies["items"]![0]!["status"]!["state"]!.GetValue<string>());
        var nodes = JsonNode.Parse(files[$"{SupportBundle.Root}/cluster/nodes.json"])!["items"]!.AsArray();
        Assert.Equal(2, nodes.Count);
        Assert.All(nodes, n => Assert.NotNull(n!["status"]!["conditions"]));
        var version = JsonNode.Parse(files[$"{SupportBundle.Root}/version.json"])!;
        Assert.StartsWith("v1.32", version["server"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(version["crds"]!.AsArray(), c => c!["name"]!.GetValue<string>() == "nicclusterpolicies.mellanox.com");
        Assert.Contains("networkNamespaceMissing", files[$"{SupportBundle.Root}/doctor.json"], StringComparison.Ordinal);
        Assert.All(files.Values, content =>
        {
            Assert.DoesNotContain(PullSecretToken, content, StringComparison.Ordinal);
            Assert.DoesNotContain("dockerconfigjson\":", content, StringComparison.Ordinal);
        });

        // Everything the doctor's user sent was a read, and none of it touched Secrets.
        var requests = cluster.Cluster.Server.Audit.ByUser(SupportUser);
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.Contains(r.Verb, new[] { "get", "list" }));
        Assert.DoesNotContain(requests, r => r.Resource == "secrets");
        Assert.Contains(requests, r => r is { Resource: "pods", Subresource: "log" });
    }

    [Fact]
    public async Task An_unreachable_server_is_one_line_and_exit_code_2()
    {
        var kubeconfig = Path.Combine(_dir, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: https://127.0.0.1:1
            contexts:
            - name: c
              context:
                cluster: c
                user: u
            current-context: c
            users:
            - name: u
              user:
                token: t
            """);

        var result = await CliProcess.RunAsync("doctor", "--kubeconfig", kubeconfig);

        Assert.Equal(DoctorCommand.CannotCheckExitCode, result.ExitCode);
        Assert.StartsWith("error: cannot reach the API server", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    private async Task<string> SupportUserKubeconfigAsync(DoctorCluster cluster)
    {
        foreach (var doc in KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(Path.Combine(FindRoot(), "docs", "doctor-rbac.yaml"))))
        {
            switch (doc)
            {
                case V1ClusterRole role:
                    await cluster.Client.RbacAuthorizationV1.CreateClusterRoleAsync(role);
                    break;
                case V1ClusterRoleBinding binding:
                    await cluster.Client.RbacAuthorizationV1.CreateClusterRoleBindingAsync(binding);
                    break;
            }
        }

        var token = cluster.Cluster.Server.Authentication.AddToken(new UserInfo(SupportUser, []));
        var path = Path.Combine(_dir, "kubeconfig");
        NetworkOperator.Simulator.Kubeconfig.Write(path, cluster.Cluster.Server.SecureAddress, token, cluster.Cluster.Server.CertificateAuthorityPem);
        return path;
    }

    private static async Task<Dictionary<string, string>> ReadBundleAsync(string path)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var file = File.OpenRead(path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            using var reader = new StreamReader(entry.DataStream!, Encoding.UTF8);
            files[entry.Name] = await reader.ReadToEndAsync();
        }

        return files;
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
}
