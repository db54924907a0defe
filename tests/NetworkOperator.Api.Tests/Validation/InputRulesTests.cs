using NetworkOperator.Api.Validation;
using static NetworkOperator.Api.Validation.ValidationErrorType;

namespace NetworkOperator.Api.Tests.Validation;

/// <summary>
/// One table per kind of field a user writes: each bad value is refused at its field path, each good value passes.
/// The rule set is the one validate, render, the webhook and the reconcilers share.
/// </summary>
public class InputRulesTests
{
    private const string Ofed = "  ofedDriver: {image: doca-driver, repository: nvcr.io/nvidia/mellanox, version: 25.07-0.9.7.0-0}\n";

    private static string Cluster(string spec, string name = "nic-cluster-policy") =>
        $"apiVersion: mellanox.com/v1alpha1\nkind: NicClusterPolicy\nmetadata: {{name: {name}}}\nspec:\n{spec}";

    private static string Node(string spec, string name = "p") =>
        $"apiVersion: mellanox.com/v1alpha1\nkind: NicNodePolicy\nmetadata: {{name: {name}}}\nspec:\n  nodeSelector: {{group: gpu}}\n{spec}";

    private static string Macvlan(string spec, string name = "m") =>
        $"apiVersion: mellanox.com/v1alpha1\nkind: MacvlanNetwork\nmetadata: {{name: {name}}}\nspec:\n{spec}";

    private static string IPoIB(string spec) => $"apiVersion: mellanox.com/v1alpha1\nkind: IPoIBNetwork\nmetadata: {{name: i}}\nspec:\n{spec}";

    private static string HostDevice(string name) =>
        $"apiVersion: mellanox.com/v1alpha1\nkind: HostDeviceNetwork\nmetadata: {{name: {name}}}\nspec:\n  resourceName: hostdev\n";

    private static string Ipam(string json) => Macvlan("  master: ens1\n  ipam: '" + json + "'\n");

    private static string Image(string fields) => Cluster($"  nvIpam: {{{fields}}}\n");

    private static string Upgrade(string fields) =>
        Cluster($"  ofedDriver:\n    image: doca-driver\n    repository: nvcr.io/nvidia/mellanox\n    version: 25.07-0.9.7.0-0\n    upgradePolicy: {{autoUpgrade: true, {fields}}}\n");

    public static TheoryData<string, string, string?, ValidationErrorType?> Names => new()
    {
        { "lowercase subdomain", HostDevice("net-a.b"), null, null },
        { "uppercase", HostDevice("Net-A"), "metadata.name", Invalid },
        { "underscore", HostDevice("net_a"), "metadata.name", Invalid },
        { "254 characters", HostDevice(new string('a', 254)), "metadata.name", Invalid },
        { "253 characters", HostDevice(new string('a', 253)), null, null },
        { "escape sequence", HostDevice("\"a\\e[2Jb\""), "metadata.name", Invalid },
        { "NUL", HostDevice("\"a\\0b\""), "metadata.name", Invalid },
        { "trailing newline", HostDevice("\"net\\n\""), "metadata.name", Invalid },
        { "missing", "apiVersion: mellanox.com/v1alpha1\nkind: MacvlanNetwork\nmetadata: {}\nspec: {}\n", "metadata.name", Required },
        { "node policy uppercase", Node(Ofed, "GPU"), "metadata.name", Invalid },
        { "macvlan dot", Macvlan("  master: ens1\n", "a..b"), "metadata.name", Invalid },
        { "label key", "apiVersion: mellanox.com/v1alpha1\nkind: IPoIBNetwork\nmetadata: {name: i, labels: {'bad key': x}}\nspec: {}\n", "metadata.labels[\"bad key\"]", Invalid },
    };

    public static TheoryData<string, string, string?, ValidationErrorType?> Images => new()
    {
        { "valid", Image("image: nvidia-k8s-ipam, repository: ghcr.io/mellanox, version: v0.3.7"), null, null },
        { "digest version", Image("image: nvidia-k8s-ipam, repository: ghcr.io/mellanox, version: 'sha256:" + new string('a', 64) + "'"), null, null },
        { "uppercase repository", Image("image: nvidia-k8s-ipam, repository: ghcr.io/Mellanox, version: v1"), "spec.nvIpam.repository", Invalid },
        { "flag as image", Image("image: --privileged, repository: ghcr.io/mellanox, version: v1"), "spec.nvIpam.image", Invalid },
        { "uppercase image", Image("image: Ipam, repository: ghcr.io/mellanox, version: v1"), "spec.nvIpam.image", Invalid },
        { "command substitution in version", Image("image: ipam, repository: ghcr.io/mellanox, version: '$(id)'"), "spec.nvIpam.version", Invalid },
        { "semicolon in repository", Image("image: ipam, repository: 'ghcr.io/m;rm', version: v1"), "spec.nvIpam.repository", Invalid },
        { "whitespace in version", Image("image: ipam, repository: ghcr.io/mellanox, version: 'v1 --x'"), "spec.nvIpam.version", Invalid },
        { "non-ASCII tag", Image("image: ipam, repository: ghcr.io/mellanox, version: 'v١'"), "spec.nvIpam.version", Invalid },
        { "trailing newline in repository", Image("image: ipam, repository: \"ghcr.io/mellanox\\n\", version: v1"), "spec.nvIpam.repository", Invalid },
        { "version required", Image("image: ipam, repository: ghcr.io/mellanox"), "spec.nvIpam.version", Required },
        { "pull secret", Image("image: ipam, repository: ghcr.io/mellanox, version: v1, imagePullSecrets: [ok-secret, Bad_Secret]"), "spec.nvIpam.imagePullSecrets[1]", Invalid },
        { "global pull secret", Cluster("  global: {imagePullSecrets: ['a b']}\n"), "spec.global.imagePullSecrets[0]", Invalid },
        { "global repository", Cluster("  global: {repository: 'nvcr.io/$(id)'}\n"), "spec.global.repository", Invalid },
    };

    public static TheoryData<string, string, string?, ValidationErrorType?> Versions => new()
    {
        { "driver version", Cluster(Ofed), null, null },
        { "driver version with trailing newline", Cluster("  ofedDriver: {image: doca-driver, repository: nvcr.io/nvidia/mellanox, version: \"25.07-0.9.7.0-0\\n\"}\n"), "spec.ofedDriver.version", Invalid },
        { "driver version with Arabic-Indic digits", Cluster("  ofedDriver: {image: doca-driver, repository: nvcr.io/nvidia/mellanox, version: '٢٥.07-0.9.7.0-0'}\n"), "spec.ofedDriver.version", Invalid },
        { "storage size with Arabic-Indic digits", Cluster("  nicConfigurationOperator:\n    operator: {image: o, repository: ghcr.io/mellanox, version: v1}\n    configurationDaemon: {image: d, repository: ghcr.io/mellanox, version: v1}\n    nicFirmwareStorage: {availableStorageSize: '١Gi'}\n"), "spec.nicConfigurationOperator.nicFirmwareStorage.availableStorageSize", Invalid },
        { "storage size with trailing newline", Cluster("  nicConfigurationOperator:\n    operator: {image: o, repository: ghcr.io/mellanox, version: v1}\n    configurationDaemon: {image: d, repository: ghcr.io/mellanox, version: v1}\n    nicFirmwareStorage: {availableStorageSize: \"1Gi\\n\"}\n"), "spec.nicConfigurationOperator.nicFirmwareStorage.availableStorageSize", Invalid },
    };

    public static TheoryData<string, string, string?, ValidationErrorType?> Addresses => new()
    {
        { "whereabouts range", Ipam("{\"type\":\"whereabouts\",\"range\":\"192.168.2.0/24\",\"exclude\":[\"192.168.2.0/30\"]}"), null, null },
        { "whereabouts start-end range", Ipam("{\"type\":\"whereabouts\",\"range\":\"192.168.2.225-192.168.2.230/28\"}"), null, null },
        { "prefix 33", Ipam("{\"type\":\"whereabouts\",\"range\":\"10.0.0.0/33\"}"), "spec.ipam", Invalid },
        { "octet 999", Ipam("{\"type\":\"host-local\",\"subnet\":\"999.1.1.1/24\"}"), "spec.ipam", Invalid },
        { "start after end", Ipam("{\"type\":\"host-local\",\"subnet\":\"10.0.0.0/24\",\"rangeStart\":\"10.0.0.200\",\"rangeEnd\":\"10.0.0.10\"}"), "spec.ipam", Invalid },
        { "family mismatch", Ipam("{\"type\":\"host-local\",\"subnet\":\"10.0.0.0/24\",\"rangeStart\":\"fd00::1\"}"), "spec.ipam", Invalid },
        { "start outside subnet", Ipam("{\"type\":\"host-local\",\"subnet\":\"10.0.0.0/24\",\"rangeStart\":\"10.0.1.1\"}"), "spec.ipam", Invalid },
        { "ranges list", Ipam("{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"10.0.0.0/24\"},{\"subnet\":\"fd00::/64\"}]]}"), null, null },
        { "bad route", Ipam("{\"type\":\"host-local\",\"subnet\":\"10.0.0.0/24\",\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"1.2.3\"}]}"), "spec.ipam", Invalid },
        { "static address", Ipam("{\"type\":\"static\",\"addresses\":[{\"address\":\"10.0.0.5/24\",\"gateway\":\"10.0.0.1\"}]}"), null, null },
        { "static leading zero", Ipam("{\"type\":\"static\",\"addresses\":[{\"address\":\"10.0.0.05/24\"}]}"), "spec.ipam", Invalid },
        { "duplicate key", Ipam("{\"type\":\"nv-ipam\",\"type\":\"host-local\"}"), "spec.ipam", Invalid },
        { "nested duplicate key", Ipam("{\"type\":\"host-local\",\"routes\":[{\"dst\":\"0.0.0.0/0\",\"dst\":\"1.0.0.0/8\"}]}"), "spec.ipam", Invalid },
        { "meta plugin duplicate key", Macvlan("  metaPlugins: '{\"type\":\"tuning\",\"type\":\"sbr\"}'\n"), "spec.metaPlugins", Invalid },
        { "multus config duplicate key", Cluster("  secondaryNetwork:\n    multus: {image: multus-cni, repository: ghcr.io/k8snetworkplumbingwg, version: v4.1.0, config: '{\"a\":1,\"a\":2}'}\n"), "spec.secondaryNetwork.multus.config", Invalid },
        { "device plugin config duplicate key", Node("  rdmaSharedDevicePlugin: {image: p, repository: ghcr.io/mellanox, version: v1, config: '{\"configList\":[],\"configList\":[]}'}\n"), "spec.rdmaSharedDevicePlugin.config", Invalid },
    };

    public static TheoryData<string, string, string?, ValidationErrorType?> Environment => new()
    {
        { "valid names", Cluster(Ofed.TrimEnd('\n').TrimEnd('}') + ", env: [{name: UNLOAD_STORAGE_MODULES, value: 'true'}, {name: a.b-c, value: x}]}\n"), null, null },
        { "equals sign", Cluster(Ofed.TrimEnd('\n').TrimEnd('}') + ", env: [{name: 'A=B', value: x}]}\n"), "spec.ofedDriver.env[0].name", Invalid },
        { "control character", Cluster(Ofed.TrimEnd('\n').TrimEnd('}') + ", env: [{name: \"A\\tB\", value: x}]}\n"), "spec.ofedDriver.env[0].name", Invalid },
        { "empty name", Cluster(Ofed.TrimEnd('\n').TrimEnd('}') + ", env: [{name: '', value: x}]}\n"), "spec.ofedDriver.env[0].name", Required },
        { "nic configuration operator", Cluster("  nicConfigurationOperator:\n    operator: {image: o, repository: ghcr.io/mellanox, version: v1}\n    configurationDaemon: {image: d, repository: ghcr.io/mellanox, version: v1}\n    env: [{name: 'X=1'}]\n"), "spec.nicConfigurationOperator.env[0].name", Invalid },
        { "ufm secret empty", Cluster("  ibKubernetes: {image: ib-kubernetes, repository: ghcr.io/mellanox, version: v1, pKeyGUIDPoolRangeStart: '02:00:00:00:00:00:00:00', pKeyGUIDPoolRangeEnd: '02:FF:FF:FF:FF:FF:FF:FF', ufmSecret: ''}\n"), "spec.ibKubernetes.ufmSecret", Required },
        { "ufm secret name", Cluster("  ibKubernetes: {image: ib-kubernetes, repository: ghcr.io/mellanox, version: v1, pKeyGUIDPoolRangeStart: '02:00:00:00:00:00:00:00', pKeyGUIDPoolRangeEnd: '02:FF:FF:FF:FF:FF:FF:FF', ufmSecret: UFM}\n"), "spec.ibKubernetes.ufmSecret", Invalid },
        { "cert config name", Cluster(Ofed.TrimEnd('\n').TrimEnd('}') + ", certConfig: {name: My_Certs}}\n"), "spec.ofedDriver.certConfig.name", Invalid },
    };

    public static TheoryData<string, string, string?, ValidationErrorType?> UpgradeSettings => new()
    {
        { "percentage", Upgrade("maxUnavailable: '25%'"), null, null },
        { "count", Upgrade("maxUnavailable: 3"), null, null },
        { "100%", Upgrade("maxUnavailable: '100%'"), null, null },
        { "over 100%", Upgrade("maxUnavailable: '101%'"), "spec.ofedDriver.upgradePolicy.maxUnavailable", Invalid },
        { "not a percentage", Upgrade("maxUnavailable: 'half'"), "spec.ofedDriver.upgradePolicy.maxUnavailable", Invalid },
        { "negative", Upgrade("maxUnavailable: -1"), "spec.ofedDriver.upgradePolicy.maxUnavailable", Invalid },
        { "selector", Upgrade("drain: {podSelector: 'app=x,tier notin (db, cache),!canary,release'}"), null, null },
        { "selector with bad key", Upgrade("drain: {podSelector: 'app name=x'}"), "spec.ofedDriver.upgradePolicy.drain.podSelector", Invalid },
        { "selector with bad value", Upgrade("waitForCompletion: {podSelector: 'app=-x-'}"), "spec.ofedDriver.upgradePolicy.waitForCompletion.podSelector", Invalid },
        { "selector with empty set", Upgrade("waitForCompletion: {podSelector: 'app in ()'}"), "spec.ofedDriver.upgradePolicy.waitForCompletion.podSelector", Invalid },
        { "selector unbalanced", Upgrade("drain: {podSelector: 'app in (a,b'}"), "spec.ofedDriver.upgradePolicy.drain.podSelector", Invalid },
        { "selector trailing comma", Upgrade("drain: {podSelector: 'app=a,'}"), "spec.ofedDriver.upgradePolicy.drain.podSelector", Invalid },
        { "toleration operator", Cluster(Ofed + "  tolerations: [{key: a, operator: Equals, value: b}]\n"), "spec.tolerations[0].operator", NotSupported },
        { "toleration effect", Cluster(Ofed + "  tolerations: [{operator: Exists, effect: NoRun}]\n"), "spec.tolerations[0].effect", NotSupported },
        { "affinity operator", Cluster(Ofed + "  nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: a, operator: Has}]}]}}\n"), "spec.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator", NotSupported },
        { "node selector value", Node(Ofed).Replace("{group: gpu}", "{group: 'g p u'}", StringComparison.Ordinal), "spec.nodeSelector.group", Invalid },
    };

    public static TheoryData<string, string, string?, ValidationErrorType?> Interfaces => new()
    {
        { "ens1f0np0", Macvlan("  master: ens1f0np0\n"), null, null },
        { "15 bytes", Macvlan("  master: abcdefghijklmno\n"), null, null },
        { "16 bytes", Macvlan("  master: abcdefghijklmnop\n"), "spec.master", Invalid },
        { "space", Macvlan("  master: 'ens 1'\n"), "spec.master", Invalid },
        { "slash", Macvlan("  master: ens/1\n"), "spec.master", Invalid },
        { "colon", Macvlan("  master: 'ens1:0'\n"), "spec.master", Invalid },
        { "dot", Macvlan("  master: '.'\n"), "spec.master", Invalid },
        { "multi-byte over 15 bytes", Macvlan("  master: 'ééééééééé'\n"), "spec.master", Invalid },
        { "ipoib master", IPoIB("  master: 'ib0 '\n"), "spec.master", Invalid },
    };

    [Theory]
    [MemberData(nameof(Names))]
    [MemberData(nameof(Images))]
    [MemberData(nameof(Versions))]
    [MemberData(nameof(Addresses))]
    [MemberData(nameof(Environment))]
    [MemberData(nameof(UpgradeSettings))]
    [MemberData(nameof(Interfaces))]
    public void Field_rule(string description, string yaml, string? field, ValidationErrorType? type)
    {
        Assert.NotEmpty(description);

        ValidationCase.AssertOutcome(yaml, field, type);
    }

    [Fact]
    public void Duplicate_key_in_ipam_is_an_error_naming_the_key_not_an_exception()
    {
        var result = ValidationCase.Run(Ipam("{\"type\":\"nv-ipam\",\"poolName\":\"a\",\"type\":\"host-local\"}"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("spec.ipam", error.Field);
        Assert.Contains("Duplicate property 'type'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Address_errors_name_the_key_inside_the_ipam_json()
    {
        var result = ValidationCase.Run(Ipam("{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"10.0.0.0/24\",\"rangeStart\":\"10.0.0.9\",\"rangeEnd\":\"10.0.0.1\"}]]}"));

        Assert.Contains(result.Errors, e => e.Field == "spec.ipam" && e.Message.Contains("ranges[0][0].rangeEnd", StringComparison.Ordinal));
    }

    [Fact]
    public void Control_characters_in_echoed_values_are_escaped()
    {
        var result = ValidationCase.Run(HostDevice("\"a\\e]0;owned\\ab\""));

        var text = result.ToString();
        Assert.Contains("metadata.name", text, StringComparison.Ordinal);
        Assert.DoesNotContain('\x1b', text);
        Assert.DoesNotContain('\a', text);
        Assert.Contains("\\e]0;owned\\u0007b", text, StringComparison.Ordinal);
    }
}
