using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Api.Validation;
using static NetworkOperator.Api.Validation.ValidationErrorType;

namespace NetworkOperator.Api.Tests.Validation;

public class NicClusterPolicyValidatorTests
{
    private const string Head = """
        apiVersion: mellanox.com/v1alpha1
        kind: NicClusterPolicy
        metadata: {name: nic-cluster-policy}
        spec:
          global: {repository: nvcr.io/nvidia/mellanox}

        """;

    private const string Ofed = "  ofedDriver: {image: doca-driver, version: 25.07-0.9.7.0-0}\n";

    private static string RdmaWith(string config) =>
        "  rdmaSharedDevicePlugin:\n    image: k8s-rdma-shared-dev-plugin\n    version: v1\n    config: '" + config + "'\n";

    private static string SriovWith(string config) =>
        "  sriovDevicePlugin:\n    image: sriov-network-device-plugin\n    version: v1\n    config: '" + config + "'\n";

    private const string OtherNodePolicy = "---\napiVersion: mellanox.com/v1alpha1\nkind: NicNodePolicy\nmetadata: {name: gpu}\nspec:\n  nodeSelector: {a: b}\n";

    public static TheoryData<string, string, string?, ValidationErrorType?> Cases => new()
    {
        // Repository: docker reference syntax of the effective repository (own or global).
        { "repository inherited from global", Ofed, null, null },
        { "own repository with port", "  ofedDriver: {image: doca-driver, version: 25.07-0.9.7.0-0, repository: 'registry.local:5000/mellanox'}\n", null, null },
        { "uppercase repository path", "  ofedDriver: {image: doca-driver, version: 25.07-0.9.7.0-0, repository: nvcr.io/NVIDIA}\n", "spec.ofedDriver.repository", Invalid },
        { "multus repository", "  secondaryNetwork:\n    multus: {image: multus-cni, version: v4, repository: 'ghcr.io//x'}\n", "spec.secondaryNetwork.multus.repository", Invalid },
        { "ipamPlugin repository", "  secondaryNetwork:\n    ipamPlugin: {image: whereabouts, version: v0.7.0, repository: -ghcr.io}\n", "spec.secondaryNetwork.ipamPlugin.repository", Invalid },
        { "ipamPlugin repository ok", "  secondaryNetwork:\n    ipamPlugin: {image: whereabouts, version: v0.7.0, repository: ghcr.io/k8snetworkplumbingwg}\n", null, null },

        // Container resources.
        { "known container, cpu and memory", "  ofedDriver:\n    image: doca-driver\n    version: 25.07-0.9.7.0-0\n    containerResources:\n    - {name: mofed-container, requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 64Mi}}\n", null, null },
        { "unknown container name", "  ofedDriver:\n    image: doca-driver\n    version: 25.07-0.9.7.0-0\n    containerResources:\n    - {name: driver, requests: {cpu: 100m}}\n", "spec.ofedDriver.containerResources[0].name", NotSupported },
        { "resource other than cpu/memory", "  ofedDriver:\n    image: doca-driver\n    version: 25.07-0.9.7.0-0\n    containerResources:\n    - {name: mofed-container, limits: {nvidia.com/gpu: 1}}\n", "spec.ofedDriver.containerResources[0].limits[\"nvidia.com/gpu\"]", NotSupported },
        { "zero cpu", "  ofedDriver:\n    image: doca-driver\n    version: 25.07-0.9.7.0-0\n    containerResources:\n    - {name: mofed-container, requests: {cpu: '0'}}\n", "spec.ofedDriver.containerResources[0].requests.cpu", Invalid },
        { "request above limit", "  ofedDriver:\n    image: doca-driver\n    version: 25.07-0.9.7.0-0\n    containerResources:\n    - {name: mofed-container, requests: {memory: 2Gi}, limits: {memory: 1Gi}}\n", "spec.ofedDriver.containerResources[0].requests.memory", Invalid },
        { "duplicate container", "  ofedDriver:\n    image: doca-driver\n    version: 25.07-0.9.7.0-0\n    containerResources:\n    - {name: mofed-container, requests: {cpu: 1}}\n    - {name: mofed-container, requests: {cpu: 2}}\n", "spec.ofedDriver.containerResources[1].name", Duplicate },
        { "nv-ipam controller container", "  nvIpam:\n    image: nvidia-k8s-ipam\n    version: v0.3\n    containerResources:\n    - {name: nv-ipam-controller, requests: {cpu: 100m}}\n", null, null },
        { "multus init container", "  secondaryNetwork:\n    multus:\n      image: multus-cni\n      version: v4\n      containerResources:\n      - {name: install-multus-binary, requests: {cpu: 10m}}\n", null, null },
        { "whereabouts container names", "  secondaryNetwork:\n    ipamPlugin:\n      image: whereabouts\n      version: v0.7\n      containerResources:\n      - {name: kube-multus, requests: {cpu: 10m}}\n", "spec.secondaryNetwork.ipamPlugin.containerResources[0].name", NotSupported },
        { "nic configuration daemon container", "  nicConfigurationOperator:\n    operator: {image: op, version: v1}\n    configurationDaemon:\n      image: daemon\n      version: v1\n      containerResources:\n      - {name: nic-configuration-daemon, limits: {memory: 5Gi}}\n", null, null },

        // ib-kubernetes GUID pool.
        { "valid GUID range", "  ibKubernetes: {image: ib-kubernetes, version: v1, ufmSecret: ufm, pKeyGUIDPoolRangeStart: '02:00:00:00:00:00:00:00', pKeyGUIDPoolRangeEnd: '02:FF:FF:FF:FF:FF:FF:FF'}\n", null, null },
        { "malformed GUID", "  ibKubernetes: {image: ib-kubernetes, version: v1, ufmSecret: ufm, pKeyGUIDPoolRangeStart: '02:00:00:00:00:00:00', pKeyGUIDPoolRangeEnd: '02:FF:FF:FF:FF:FF:FF:FF'}\n", "spec.ibKubernetes.pKeyGUIDPoolRangeStart", Invalid },
        { "empty GUID range", "  ibKubernetes: {image: ib-kubernetes, version: v1, ufmSecret: ufm, pKeyGUIDPoolRangeStart: '02:00:00:00:00:00:00:10', pKeyGUIDPoolRangeEnd: '02:00:00:00:00:00:00:10'}\n", "spec.ibKubernetes.pKeyGUIDPoolRangeEnd", Invalid },
        { "missing UFM secret", "  ibKubernetes: {image: ib-kubernetes, version: v1, pKeyGUIDPoolRangeStart: '02:00:00:00:00:00:00:00', pKeyGUIDPoolRangeEnd: '02:FF:FF:FF:FF:FF:FF:FF'}\n", "spec.ibKubernetes.ufmSecret", Required },

        // OFED version format.
        { "doca version", "  ofedDriver: {image: doca-driver, version: doca3.1.0-25.07-0.9.7.0-0}\n", null, null },
        { "digest version", "  ofedDriver: {image: doca-driver, version: 'sha256:0d5e4b7a3b1c2d8e9f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6'}\n", null, null },
        { "legacy version with suffix", "  ofedDriver: {image: doca-driver, version: 24.10-0.7.0.0-0-rc1}\n", null, null },
        { "free text version", "  ofedDriver: {image: doca-driver, version: latest}\n", "spec.ofedDriver.version", Invalid },
        { "missing version", "  ofedDriver: {image: doca-driver}\n", "spec.ofedDriver.version", Required },

        // safeLoad requires autoUpgrade.
        { "safeLoad with autoUpgrade", "  ofedDriver: {image: doca-driver, version: 25.07-0.9.7.0-0, upgradePolicy: {autoUpgrade: true, safeLoad: true}}\n", null, null },
        { "safeLoad without autoUpgrade", "  ofedDriver: {image: doca-driver, version: 25.07-0.9.7.0-0, upgradePolicy: {safeLoad: true}}\n", "spec.ofedDriver.upgradePolicy.safeLoad", Forbidden },

        // RDMA shared device plugin config (JSON Schema).
        { "rdma config with selectors", RdmaWith("""{"configList":[{"resourceName":"rdma_a","rdmaHcaMax":63,"selectors":{"vendors":["15b3"]}}]}"""), null, null },
        { "rdma config with devices", RdmaWith("""{"configList":[{"resourceName":"rdma_a","resourcePrefix":"example.com","rdmaHcaMax":1,"devices":["ib0"]}]}"""), null, null },
        { "rdma config not JSON", RdmaWith("configList: []"), "spec.rdmaSharedDevicePlugin.config", Invalid },
        { "rdma config missing rdmaHcaMax", RdmaWith("""{"configList":[{"resourceName":"rdma_a","selectors":{"vendors":["15b3"]}}]}"""), "spec.rdmaSharedDevicePlugin.config", Invalid },
        { "rdma config unknown selector", RdmaWith("""{"configList":[{"resourceName":"rdma_a","rdmaHcaMax":1,"selectors":{"pciAddresses":["0000:01:00.0"]}}]}"""), "spec.rdmaSharedDevicePlugin.config", Invalid },
        { "rdma config empty list", RdmaWith("""{"configList":[]}"""), "spec.rdmaSharedDevicePlugin.config", Invalid },
        { "rdma config bad prefix", RdmaWith("""{"configList":[{"resourceName":"a","resourcePrefix":"nodots","rdmaHcaMax":1,"devices":["ib0"]}]}"""), "spec.rdmaSharedDevicePlugin.config", Invalid },

        // SR-IOV device plugin config (JSON Schema, selectors per deviceType).
        { "sriov netDevice config", SriovWith("""{"resourceList":[{"resourceName":"hostdev","resourcePrefix":"nvidia.com","selectors":{"vendors":["15b3"],"isRdma":true}}]}"""), null, null },
        { "sriov selectors as a list", SriovWith("""{"resourceList":[{"resourceName":"aux","deviceType":"auxNetDevice","selectors":[{"auxTypes":["sf"]},{"pfNames":["ens1f0"]}]}]}"""), null, null },
        { "sriov hyphen in resource name", SriovWith("""{"resourceList":[{"resourceName":"host-dev","selectors":{"vendors":["15b3"]}}]}"""), "spec.sriovDevicePlugin.config", Invalid },
        { "sriov accelerator with netDevice selector", SriovWith("""{"resourceList":[{"resourceName":"acc","deviceType":"accelerator","selectors":{"pfNames":["ens1"]}}]}"""), "spec.sriovDevicePlugin.config", Invalid },
        { "sriov unknown device type", SriovWith("""{"resourceList":[{"resourceName":"x","deviceType":"gpu","selectors":{"vendors":["15b3"]}}]}"""), "spec.sriovDevicePlugin.config", Invalid },
        { "sriov InfiniBand partition keys", SriovWith("""{"resourceList":[{"resourceName":"x","selectors":{"vendors":["15b3"],"pKeys":["0x7fff"]}}]}"""), null, null },
        { "sriov ACPI indexes", SriovWith("""{"resourceList":[{"resourceName":"x","selectors":[{"acpiIndexes":["101"]}]}]}"""), null, null },
        { "sriov ACPI indexes of auxiliary devices", SriovWith("""{"resourceList":[{"resourceName":"sf","deviceType":"auxNetDevice","selectors":{"auxTypes":["sf"],"acpiIndexes":["101"]}}]}"""), null, null },
        { "sriov partition keys are not for auxiliary devices", SriovWith("""{"resourceList":[{"resourceName":"sf","deviceType":"auxNetDevice","selectors":{"pKeys":["0x1"]}}]}"""), "spec.sriovDevicePlugin.config", Invalid },
        { "sriov partition keys as a string", SriovWith("""{"resourceList":[{"resourceName":"x","selectors":{"pKeys":"0x1"}}]}"""), "spec.sriovDevicePlugin.config", Invalid },

        // DOCA telemetry ConfigMap name.
        { "doca config map", "  docaTelemetryService: {image: doca_telemetry, version: v1, config: {fromConfigMap: my-telemetry.v1}}\n", null, null },
        { "doca config map bad name", "  docaTelemetryService: {image: doca_telemetry, version: v1, config: {fromConfigMap: My_Config}}\n", "spec.docaTelemetryService.config.fromConfigMap", Invalid },
        { "doca config without name", "  docaTelemetryService: {image: doca_telemetry, version: v1, config: {}}\n", "spec.docaTelemetryService.config.fromConfigMap", Required },

        // Sections shared with NicNodePolicies.
        { "section defined only here", Ofed + OtherNodePolicy + "  rdmaSharedDevicePlugin: {image: p, version: v1}\n", null, null },
        { "section also in a node policy", Ofed + OtherNodePolicy + Ofed, "spec.ofedDriver", Forbidden },

        // CRD schema rules, enforced offline too.
        { "missing image", "  nvIpam: {version: v1}\n", "spec.nvIpam.image", Required },
        { "unsupported log level", "  nicConfigurationOperator: {operator: {image: op, version: v1}, configurationDaemon: {image: d, version: v1}, logLevel: trace}\n", "spec.nicConfigurationOperator.logLevel", NotSupported },
        { "missing configuration daemon", "  nicConfigurationOperator: {operator: {image: op, version: v1}}\n", "spec.nicConfigurationOperator.configurationDaemon", Required },
        { "invalid storage size", "  nicConfigurationOperator: {operator: {image: op, version: v1}, configurationDaemon: {image: d, version: v1}, nicFirmwareStorage: {availableStorageSize: 1GB}}\n", "spec.nicConfigurationOperator.nicFirmwareStorage.availableStorageSize", Invalid },
        { "invalid PVC name", "  nicConfigurationOperator: {operator: {image: op, version: v1}, configurationDaemon: {image: d, version: v1}, nicFirmwareStorage: {pvcName: Firmware_PVC}}\n", "spec.nicConfigurationOperator.nicFirmwareStorage.pvcName", Invalid },
        { "negative grace period", "  ofedDriver: {image: doca-driver, version: 25.07-0.9.7.0-0, terminationGracePeriodSeconds: -1}\n", "spec.ofedDriver.terminationGracePeriodSeconds", Invalid },
        { "negative drain timeout", "  ofedDriver: {image: doca-driver, version: 25.07-0.9.7.0-0, upgradePolicy: {drain: {timeoutSeconds: -5}}}\n", "spec.ofedDriver.upgradePolicy.drain.timeoutSeconds", Invalid },
    };

    [Theory]
    [InlineData("""{"resourceList":[{"resourceName":"x","selectors":{"vendors":["15b3"],"pfName":["ens1f0"]}}]}""", "/resourceList/0/selectors: unknown key \"pfName\"")]
    [InlineData("""{"resourceList":[{"resourceName":"x","selectors":{"vendors":"15b3"}}]}""", "/resourceList/0/selectors/vendors: Value is \"string\" but should be \"array\"")]
    [InlineData("""{"resourceList":[{"resourceName":"rdma shared","selectors":{"vendors":["15b3"]}}]}""", "/resourceList/0/resourceName: does not match the pattern \"^([A-Za-z0-9][A-Za-z0-9_.]*)?[A-Za-z0-9]$\"")]
    public void A_bad_selector_object_is_reported_as_itself_not_as_the_list_form(string config, string problem)
    {
        var error = Assert.Single(ValidationCase.Run(Head + SriovWith(config)).Errors);

        Assert.Equal("spec.sriovDevicePlugin.config", error.Field);
        Assert.EndsWith("config does not match the device plugin's format: " + problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Either_of_two_required_keys_is_reported_as_a_choice()
    {
        var error = Assert.Single(ValidationCase.Run(Head + "  rdmaSharedDevicePlugin: {image: p, version: v1, config: '{\"configList\":[{\"resourceName\":\"rdma_a\",\"rdmaHcaMax\":63}]}'}\n").Errors);
        Assert.Equal("spec.rdmaSharedDevicePlugin.config", error.Field);
        Assert.EndsWith("config does not match the device plugin's format: /configList/0: needs one of \"selectors\", \"devices\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Nic_cluster_policy_rule(string description, string specLines, string? field, ValidationErrorType? type)
    {
        Assert.NotEmpty(description);
        var yaml = Head + specLines;

        ValidationCase.AssertOutcome(yaml, field, type);
    }

    [Fact]
    public void Full_example_is_valid()
    {
        var policy = KubernetesObjectSerializer.FromYaml<NicClusterPolicy>(TestFiles.Read("nicclusterpolicy-full.yaml"));

        var result = NicClusterPolicyValidator.Validate(policy);

        Assert.True(result.IsValid, result.ToString());
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Errors_read_like_api_server_field_errors()
    {
        var result = ValidationCase.Run(Head + "  ofedDriver: {image: doca-driver, version: latest}\n");

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("spec.ofedDriver.version: Invalid value: \"latest\": invalid driver version", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("latest", error.BadValue);
    }

    [Fact]
    public void Section_conflict_names_the_node_policy()
    {
        var result = ValidationCase.Run(Head + Ofed + OtherNodePolicy + Ofed);

        Assert.Equal(
            "NicNodePolicy \"gpu\" already defines ofedDriver; NicClusterPolicy cannot also define it",
            Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Other_instance_names_get_a_warning_not_an_error()
    {
        var policy = new NicClusterPolicy { Metadata = { Name = "my-policy" } };

        var result = NicClusterPolicyValidator.Validate(policy);

        Assert.True(result.IsValid);
        Assert.Equal("metadata.name", Assert.Single(result.Warnings).Field);
    }

    [Theory]
    [InlineData("storageClassName", "nfs", "ceph", false)]
    [InlineData("availableStorageSize", "1Gi", "2Gi", false)]
    [InlineData("availableStorageSize", "1Gi", "1Gi", true)]
    public void Firmware_storage_fields_are_immutable(string field, string before, string after, bool accepted)
    {
        NicClusterPolicy Make(string value) => KubernetesObjectSerializer.FromYaml<NicClusterPolicy>(
            Head + $"  nicConfigurationOperator: {{operator: {{image: op, version: v1}}, configurationDaemon: {{image: d, version: v1}}, nicFirmwareStorage: {{{field}: {value}}}}}\n");

        var result = NicClusterPolicyValidator.ValidateUpdate(Make(before), Make(after));

        Assert.Equal(accepted, result.IsValid);
        if (!accepted)
        {
            Assert.Equal("spec.nicConfigurationOperator.nicFirmwareStorage." + field, Assert.Single(result.Errors).Field);
        }
    }
}
