using k8s;
using k8s.Models;
using NetworkOperator.Api.Defaulting;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Controllers.Policies;
using NetworkOperator.Controllers.Tests.Webhooks;
using NetworkOperator.Controllers.Webhooks;
using NetworkOperator.Rendering;
using NetworkOperator.Rendering.Preview;

namespace NetworkOperator.Controllers.Tests.RuleSet;

/// <summary>
/// <c>validate</c>, <c>render</c>, the admission webhook and the operator's reconcilers give the same verdict on the same
/// object: every shipped example (which are also the golden files' inputs) and a set of broken variants, each read as
/// the commands read it (CRD defaults applied, kinds the operator does not own skipped), reviewed by the webhook as the
/// API server would send it and checked and rendered as a reconcile does.
/// </summary>
public sealed class OneRuleSetTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("rule-set-");

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot(), "examples"), "*.yaml").Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file) != "nodes.yaml")
            {
                data.Add(Path.GetFileName(file));
            }
        }

        return data;
    }

    /// <summary>Broken inputs: each must be refused by all four, naming the same field.</summary>
    public static TheoryData<string, string, string> Broken() => new()
    {
        { "empty UFM secret", "spec.ibKubernetes.ufmSecret", """
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata: {name: nic-cluster-policy}
            spec:
              ibKubernetes: {image: ib-kubernetes, repository: ghcr.io/mellanox, version: v1.1.0, ufmSecret: "", pKeyGUIDPoolRangeStart: "02:00:00:00:00:00:00:00", pKeyGUIDPoolRangeEnd: "02:FF:FF:FF:FF:FF:FF:FF"}
            """ },
        { "driver version that is no version", "spec.ofedDriver.version", """
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata: {name: nic-cluster-policy}
            spec:
              ofedDriver: {image: doca-driver, repository: nvcr.io/nvidia/mellanox, version: latest-and-greatest}
            """ },
        { "RDMA device plugin config that is not JSON", "spec.rdmaSharedDevicePlugin.config", """
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata: {name: nic-cluster-policy}
            spec:
              rdmaSharedDevicePlugin: {image: k8s-rdma-shared-dev-plugin, repository: ghcr.io/mellanox, version: v1.5.3, config: "{not json"}
            """ },
        { "macvlan IPAM that is not JSON", "spec.ipam", """
            apiVersion: mellanox.com/v1alpha1
            kind: MacvlanNetwork
            metadata: {name: broken}
            spec: {networkNamespace: default, master: ens2f0, mode: bridge, mtu: 1500, ipam: "{range"}
            """ },
        { "node policy whose name is too long for its DaemonSet names", "metadata.name", """
            apiVersion: mellanox.com/v1alpha1
            kind: NicNodePolicy
            metadata: {name: a-node-policy-name-longer-than-thirty}
            spec:
              nodeSelector: {role: gpu}
              ofedDriver: {image: doca-driver, repository: nvcr.io/nvidia/mellanox, version: doca3.1.0-25.07-0.9.7.0-0}
            """ },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Every_example_is_accepted_by_validate_render_the_webhook_and_the_operator(string example)
    {
        var verdicts = await VerdictsAsync(Path.Combine(RepositoryRoot(), "examples", example), openShift: example.Contains("openshift", StringComparison.Ordinal));
        Assert.All(verdicts, v => Assert.True(v.Errors.Count == 0, $"{v.Judge} refused {example}: {string.Join("; ", v.Errors)}"));
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task A_broken_object_is_refused_by_all_four_naming_the_same_field(string what, string field, string yaml)
    {
        var file = Path.Combine(_dir.FullName, "broken.yaml");
        await File.WriteAllTextAsync(file, yaml);
        var verdicts = await VerdictsAsync(file, openShift: false);
        Assert.All(verdicts, v => Assert.True(v.Errors.Any(e => e.Contains(field, StringComparison.Ordinal)),
            $"{what}: {v.Judge} should refuse it naming {field}; it said: {(v.Errors.Count == 0 ? "valid" : string.Join("; ", v.Errors))}"));
    }

    [Fact]
    public async Task Kinds_the_operator_does_not_own_are_skipped_by_validate_and_render_alike()
    {
        var file = Path.Combine(_dir.FullName, "with-pool.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: nv-ipam.nvidia.com/v1alpha1
            kind: IPPool
            metadata: {name: pool1, namespace: nvidia-network-operator}
            spec: {subnet: 192.168.0.0/16, perNodeBlockSize: 100, gateway: 192.168.0.1}
            ---
            apiVersion: mellanox.com/v1alpha1
            kind: MacvlanNetwork
            metadata: {name: uses-pool}
            spec: {networkNamespace: default, master: ens2f0, mode: bridge, mtu: 1500, ipam: '{"type": "nv-ipam", "poolName": "pool1"}'}
            """);
        var input = RenderInput.Load([file], null);
        Assert.Empty(input.Errors);
        Assert.Contains(input.Skipped, s => s.Contains("IPPool", StringComparison.Ordinal));
        Assert.Single(input.Resources);
        Assert.All(await VerdictsAsync(file, openShift: false), v => Assert.Empty(v.Errors));
    }

    private sealed record Verdict(string Judge, IReadOnlyList<string> Errors);

    private static async Task<List<Verdict>> VerdictsAsync(string file, bool openShift)
    {
        var nodesFile = Path.Combine(RepositoryRoot(), "examples", "nodes.yaml");

        // validate and render read the file the same way; render then renders with the file's ConfigMaps and the nodes.
        var input = RenderInput.Load([file], nodesFile);
        var validate = new Verdict("validate", [.. input.Errors.Select(e => e.ToString()!)]);
        var facts = new ClusterFacts
        {
            ClusterType = openShift ? ClusterType.OpenShift : ClusterType.Kubernetes,
            Nodes = input.Nodes,
            ConfigMapKeys = input.ConfigMapKeys,
        };
        var render = new Verdict("render", input.Errors.Count > 0
            ? validate.Errors
            : [.. ClusterRenderer.RenderAll(input.Resources, facts).Where(o => o.Error is not null).Select(o => $"{o.Kind} {o.Name}: {o.Error!.Message} ({o.Error.FieldPath})")]);

        // The webhook and the operator see the objects as the API server stores them: read, with CRD defaults applied.
        var owned = new ManifestReader(ReadableKind.Default).ReadFile(file).Objects
            .Where(o => o.Value is IKubernetesObject<V1ObjectMeta> k && k.ApiVersion.StartsWith("mellanox.com/", StringComparison.Ordinal))
            .Select(o => (IKubernetesObject<V1ObjectMeta>)Defaults.ApplyAny(o.Value))
            .ToList();
        var webhookErrors = new List<string>();
        var handler = new AdmissionHandler();
        foreach (var resource in owned)
        {
            var review = await handler.ReviewAsync(AdmissionReviews.Request(resource.Kind, "CREATE", KubernetesObjectSerializer.ToJson(resource)));
            if (review["response"]?["allowed"]?.GetValue<bool>() != true)
            {
                webhookErrors.Add(review["response"]?["status"]?["message"]?.GetValue<string>() ?? "refused without a message");
            }
        }

        var operatorErrors = new List<string>();
        foreach (var resource in owned)
        {
            if (SpecValidation.Problems(resource) is { } problems)
            {
                operatorErrors.Add(problems);
                continue;
            }

            operatorErrors.AddRange(ClusterRenderer.RenderAll([resource], facts).Where(o => o.Error is not null)
                .Select(o => $"{o.Kind} {o.Name}: {o.Error!.Message} ({o.Error.FieldPath})"));
        }

        return [validate, render, new Verdict("webhook", webhookErrors), new Verdict("operator", operatorErrors)];
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NetworkOperator.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
