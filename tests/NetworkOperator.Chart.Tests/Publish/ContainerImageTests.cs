using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using NetworkOperator.Chart.Tests.Infrastructure;
using NetworkOperator.Controllers.Webhooks;
using NetworkOperator.Simulator;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Chart.Tests.Publish;

[Trait("Category", "Slow")]
public class ContainerImageTests : IClassFixture<PublishedOperator>
{
    private readonly PublishedOperator _published;

    public ContainerImageTests(PublishedOperator published) => _published = published;

    [Fact]
    public void Dockerfile_builds_on_the_sdk_and_runs_the_native_executable_on_runtime_deps_as_a_non_root_user()
    {
        var dockerfile = Dockerfile.Load();
        var from = dockerfile.Arguments("FROM").ToList();
        Assert.Equal(2, from.Count);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0 AS build", from[0]);
        Assert.Equal("mcr.microsoft.com/dotnet/runtime-deps:10.0", from[1]);
        Assert.Equal(["src/NetworkOperator.Cli", "-c", "Release", "-r", "linux-x64", "-o", "/app"], dockerfile.PublishArguments());
        Assert.Contains(dockerfile.Arguments("RUN"), r => r.Contains("apt-get install", StringComparison.Ordinal) && r.Contains("clang", StringComparison.Ordinal));
        Assert.Equal("65532:65532", Assert.Single(dockerfile.Arguments("USER")));
        Assert.Contains("--from=build /app/network-operator /app/network-operator", dockerfile.Arguments("COPY"));
        Assert.Equal("[\"network-operator\"]", Assert.Single(dockerfile.Arguments("ENTRYPOINT")));
        Assert.Contains(dockerfile.Arguments("ENV"), e => e.Contains("PATH=\"/app:${PATH}\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_copies_the_charts_crds_to_slash_crds()
    {
        var copy = Assert.Single(Dockerfile.Load().Arguments("COPY"), c => c.EndsWith(" /crds/network-operator/", StringComparison.Ordinal));
        var source = copy.Split(' ')[0];
        Assert.Equal("deploy/helm/network-operator/crds/", source);
        Assert.NotEmpty(Directory.GetFiles(RepositoryRoot.Combine(source.Split('/', StringSplitOptions.RemoveEmptyEntries)), "*.yaml"));
    }

    [Fact]
    public async Task The_published_binary_prints_the_same_crds_the_image_carries()
    {
        Assert.True(_published.PublishResult.ExitCode == 0, _published.PublishResult.Output);

        var result = await _published.RunAsync("crds");

        Assert.True(result.ExitCode == 0, result.Output);
        var printed = YamlJson.ParseDocuments(result.StdOut).ToDictionary(c => RenderedChart.Name(c), c => c);
        var shipped = Directory.GetFiles(RepositoryRoot.Combine("deploy", "helm", "network-operator", "crds"), "*.yaml")
            .Select(f => YamlJson.ParseDocuments(File.ReadAllText(f)).Single())
            .ToDictionary(c => RenderedChart.Name(c), c => c);
        Assert.Contains("nicclusterpolicies.mellanox.com", printed.Keys);
        Assert.Equal(shipped.Keys.Order(StringComparer.Ordinal), printed.Keys.Order(StringComparer.Ordinal));
        Assert.All(shipped, kv => Assert.True(JsonNode.DeepEquals(kv.Value, printed[kv.Key]), $"{kv.Key} differs from the checked-in file"));
    }

    [Fact]
    public void Dockerignore_keeps_build_outputs_and_tools_out_of_the_context()
    {
        var lines = File.ReadAllLines(RepositoryRoot.Combine(".dockerignore")).Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("**/bin/", lines);
        Assert.Contains("**/obj/", lines);
        Assert.Contains(".tools/", lines);
        Assert.Contains(".git/", lines);
        Assert.DoesNotContain("src/", lines);
        Assert.DoesNotContain("deploy/", lines);
    }

    [Fact]
    public async Task The_published_binary_starts_and_prints_its_version()
    {
        Assert.True(_published.PublishResult.ExitCode == 0, $"dotnet {string.Join(' ', _published.PublishCommand)} failed:\n{_published.PublishResult.Output}");

        var result = await _published.RunAsync("version");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Matches(@"^network-operator 26\.7\.0", result.StdOut);
    }

    [Fact]
    public void The_published_app_is_one_native_executable_without_the_dotnet_runtime()
    {
        Assert.True(_published.PublishResult.ExitCode == 0, _published.PublishResult.Output);

        // An ELF executable, not an apphost beside IL assemblies and a runtimeconfig.
        var magic = new byte[4];
        using (var file = File.OpenRead(_published.Executable))
        {
            file.ReadExactly(magic);
        }

        Assert.Equal(new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F' }, magic);
        Assert.Empty(Directory.GetFiles(_published.OutputDirectory, "*.dll"));
        Assert.False(File.Exists(Path.Combine(_published.OutputDirectory, "network-operator.runtimeconfig.json")));
        Assert.False(File.Exists(Path.Combine(_published.OutputDirectory, "libcoreclr.so")));
    }

    [Fact]
    public async Task The_native_binary_renders_every_example_exactly_as_the_jit_build_does()
    {
        Assert.True(_published.PublishResult.ExitCode == 0, _published.PublishResult.Output);

        // The native build serializes every model by reflection over trimmed code; a member lost to trimming or a
        // converter that could not be created would change or break this output. One example at a time: the cluster
        // and node policy examples define the same sections, which together are (rightly) refused.
        var examples = Directory.GetFiles(RepositoryRoot.Combine("examples"), "*.yaml")
            .Where(f => Path.GetFileName(f) is var name && name != "nodes.yaml" && !name.Contains("openshift", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(examples.Count >= 5, "the examples are found");
        var objects = 0;
        foreach (var example in examples)
        {
            string[] args = ["render", "-o", "json", "--nodes", RepositoryRoot.Combine("examples", "nodes.yaml"), "-f", example];
            var jit = await ExternalProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "network-operator.dll"), .. args]);
            var native = await _published.RunAsync(args);

            Assert.True(jit.ExitCode == 0, jit.Output);
            Assert.True(native.ExitCode == 0, native.Output);
            objects += JsonNode.Parse(jit.StdOut)!["items"]!.AsArray().Count;
            Assert.Equal(jit.StdOut, native.StdOut);
        }

        Assert.True(objects > 50, "the examples render many objects");
    }

    [Fact]
    public async Task The_native_binary_serves_the_admission_webhook()
    {
        Assert.True(_published.PublishResult.ExitCode == 0, _published.PublishResult.Output);
        await using var server = await SimulatedApiServer.StartNewAsync();
        var directory = Directory.CreateTempSubdirectory("native-webhook-").FullName;
        var kubeconfig = server.WriteKubeconfig(Path.Combine(directory, "kubeconfig"));
        WriteServingCertificate(directory);
        var port = FreePort();

        var start = new ProcessStartInfo(_published.Executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "run", "--kubeconfig", kubeconfig, "--install-crds", "--metrics-bind-address", "0", "--health-probe-bind-address", "0" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ENABLE_WEBHOOKS"] = "true";
        start.Environment["WEBHOOK_CERT_DIR"] = directory;
        start.Environment["WEBHOOK_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["POD_NAMESPACE"] = "default";
        start.Environment["OFED_PRECOMPILED_TAG_LISTER"] = "offline";
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
            using var http = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{port}") };

            var denied = await ReviewAsync(http, "not a version!!", process, output);
            Assert.False(denied["allowed"]!.GetValue<bool>());
            Assert.Contains("spec.ofedDriver.version", denied["status"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

            var allowed = await ReviewAsync(http, "doca3.1.0-25.07-0.9.7.0-0", process, output);
            Assert.True(allowed["allowed"]!.GetValue<bool>(), allowed.ToJsonString());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    // The webhook starts after the caches sync; until then the port refuses connections.
    private static async Task<JsonNode> ReviewAsync(HttpClient http, string driverVersion, Process process, StringBuilder output)
    {
        var review = new JsonObject
        {
            ["apiVersion"] = "admission.k8s.io/v1",
            ["kind"] = "AdmissionReview",
            ["request"] = new JsonObject
            {
                ["uid"] = "native-1",
                ["kind"] = new JsonObject { ["group"] = "mellanox.com", ["version"] = "v1alpha1", ["kind"] = "NicClusterPolicy" },
                ["resource"] = new JsonObject { ["group"] = "mellanox.com", ["version"] = "v1alpha1", ["resource"] = "nicclusterpolicies" },
                ["name"] = "nic-cluster-policy",
                ["operation"] = "CREATE",
                ["userInfo"] = new JsonObject { ["username"] = "admin" },
                ["object"] = new JsonObject
                {
                    ["apiVersion"] = "mellanox.com/v1alpha1",
                    ["kind"] = "NicClusterPolicy",
                    ["metadata"] = new JsonObject { ["name"] = "nic-cluster-policy" },
                    ["spec"] = new JsonObject
                    {
                        ["ofedDriver"] = new JsonObject { ["image"] = "doca-driver", ["repository"] = "nvcr.io/nvidia/mellanox", ["version"] = driverVersion },
                    },
                },
            },
        };
        // Until the webhook listens the connection is refused; any other failure ends the wait at once.
        return await Eventually.ValueAsync(async () =>
        {
            Assert.False(process.HasExited, $"the operator exited:\n{output}");
            try
            {
                using var response = await http.PostAsync("/validate-mellanox-com-v1alpha1-nicclusterpolicy",
                    new StringContent(review.ToJsonString(), Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["response"]!;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, "the operator's webhook answering", Eventually.Timeout * 2);
    }

    // The files cert-manager would mount: the operator's own generator, with the loopback address the test dials.
    private static void WriteServingCertificate(string directory)
    {
        using var certificate = WebhookCertificate.Generate("network-operator-webhook-service", "default", ipAddresses: [IPAddress.Loopback]);
        using var key = certificate.Serving.GetECDsaPrivateKey()!;
        File.WriteAllText(Path.Combine(directory, "tls.crt"), certificate.Serving.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "tls.key"), key.ExportPkcs8PrivateKeyPem());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task The_published_binary_has_no_simulator_demo_or_benchmarks()
    {
        Assert.True(_published.PublishResult.ExitCode == 0, _published.PublishResult.Output);

        foreach (var command in new[] { "demo", "sim", "bench-upgrade" })
        {
            var result = await _published.RunAsync(command);
            Assert.True(result.ExitCode == 1, result.Output);
            Assert.Contains("network-operator --help", result.StdErr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_native_binary_runs_the_operator_to_ready_on_the_embedded_cluster()
    {
        Assert.True(_published.PublishResult.ExitCode == 0, _published.PublishResult.Output);

        // The tools' demo runs the simulated cluster in its own process and the published native operator binary as a
        // second process (`run` over HTTP): kubeconfig loading, watches, JSON of every kind, the reconcilers and status
        // writes, all in native code.
        var result = await _published.RunDemoAsync(TimeSpan.FromMinutes(5), "--node-count", "3", "--networks", "2", "--exit-when-ready");

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("time to Ready:", result.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"create\s+network-attachment-definitions\s+2\b", result.StdOut);
        Assert.Contains("steady-state writes to operator-managed resources (after Ready): 0", result.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"operator process peak working set: \d+(\.\d)? MiB", result.StdOut);
    }
}
