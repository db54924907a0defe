using System.Text.Json.Nodes;
using NetworkOperator.Tests.Shared;

namespace NetworkOperator.Cli.Tests;

/// <summary>The render command as a user runs it: files in, YAML or JSON on stdout, summary and errors on stderr.</summary>
[Trait("Category", "Slow")]
public class RenderCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("render-test-").FullName;

    private static string Examples => Path.Combine(FindRoot(), "examples");

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
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

    [Fact]
    public async Task Renders_policy_and_networks_as_a_yaml_stream_with_a_summary_on_stderr()
    {
        var result = await CliProcess.RunAsync(
            "render", "-f", Path.Combine(Examples, "nicclusterpolicy-full.yaml"), "-f", Path.Combine(Examples, "macvlannetwork.yaml"),
            "--nodes", Path.Combine(Examples, "nodes.yaml"));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("name: mofed-ubuntu22.04-6d568d699f-ds", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("kind: NetworkAttachmentDefinition", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("Rendered", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("state-OFED", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("driver pool ubuntu22.04 5.15.0-91-generic amd64: worker-1, worker-2", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("MacvlanNetwork/macvlan-tuned", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_output_is_a_v1_list_in_apply_order()
    {
        var result = await CliProcess.RunAsync("render", "-f", Path.Combine(Examples, "hostdevicenetwork.yaml"), "-o", "json");

        Assert.Equal(0, result.ExitCode);
        var list = JsonNode.Parse(result.StdOut)!;
        Assert.Equal("List", (string?)list["kind"]);
        var items = list["items"]!.AsArray();
        Assert.Equal(["example-hostdevice-network", "hostdev-sbr"], items.Select(i => (string?)i!["metadata"]!["name"]));
        Assert.Equal("nvidia.com/hostdev", (string?)items[0]!["metadata"]!["annotations"]!["k8s.v1.cni.cncf.io/resourceName"]);
    }

    [Fact]
    public async Task Openshift_flag_and_namespace_change_the_objects()
    {
        var result = await CliProcess.RunAsync(
            "render", "-f", Path.Combine(Examples, "nicclusterpolicy-openshift.yaml"), "--nodes", Path.Combine(Examples, "nodes.yaml"), "--openshift", "--namespace", "netop");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("kind: Role\n", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("service.beta.openshift.io/inject-cabundle", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("namespace: netop", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("namespace: nvidia-network-operator", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_yaml_names_the_file_and_exits_non_zero()
    {
        var file = Write("broken.yaml", "apiVersion: mellanox.com/v1alpha1\nkind: MacvlanNetwork\nmetadata: {name: x\n");

        var result = await CliProcess.RunAsync("render", "-f", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.Contains("broken.yaml", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_kind_and_unknown_field_are_reported_with_object_and_field_path()
    {
        var file = Write("mixed.yaml", """
            apiVersion: mellanox.com/v1alpha1
            kind: SomethingElse
            metadata:
              name: a
            ---
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata:
              name: nic-cluster-policy
            spec:
              ofedDriver:
                image: doca-driver
                repositry: nvcr.io/nvidia/mellanox
            """);

        var result = await CliProcess.RunAsync("render", "-f", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.Contains("unknown kind \"SomethingElse\"", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("NicClusterPolicy \"nic-cluster-policy\"", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("spec.ofedDriver.repositry", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_errors_name_the_object_and_field_and_print_no_partial_output()
    {
        var file = Write("policy.yaml", """
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata:
              name: nic-cluster-policy
            spec:
              secondaryNetwork:
                cniPlugins:
                  image: plugins
                  repository: nvcr.io/nvidia/mellanox
              rdmaSharedDevicePlugin:
                image: k8s-rdma-shared-dev-plugin
                repository: nvcr.io/nvidia/mellanox
                version: v1
            ---
            apiVersion: mellanox.com/v1alpha1
            kind: MacvlanNetwork
            metadata:
              name: fine
            spec:
              master: ens2f0
            """);

        var result = await CliProcess.RunAsync("render", "-f", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        // The shared rule set refuses both before rendering starts, exactly as validate and the webhook do.
        Assert.Contains("(NicClusterPolicy \"nic-cluster-policy\"): spec.secondaryNetwork.cniPlugins.version (line 7, column 5): Required value: the image version is required", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("(NicClusterPolicy \"nic-cluster-policy\"): spec.rdmaSharedDevicePlugin.config (line 10, column 3): Required value", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validation_errors_name_file_document_object_and_field()
    {
        var file = Write("networks.yaml", """
            apiVersion: mellanox.com/v1alpha1
            kind: MacvlanNetwork
            metadata:
              name: fine
            spec:
              master: ens2f0
            ---
            apiVersion: mellanox.com/v1alpha1
            kind: MacvlanNetwork
            metadata:
              name: bad-ipam
            spec:
              ipam: '{"type": "static",}'
            """);

        var result = await CliProcess.RunAsync("render", "-f", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.Contains("networks.yaml: document 2 (MacvlanNetwork \"bad-ipam\"): spec.ipam (line 13, column 3): Invalid value", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_section_in_both_the_cluster_policy_and_a_node_policy_is_rejected()
    {
        var result = await CliProcess.RunAsync(
            "render", "-f", Path.Combine(Examples, "nicclusterpolicy-full.yaml"), "-f", Path.Combine(Examples, "nicnodepolicy-gpu-nodes.yaml"),
            "--nodes", Path.Combine(Examples, "nodes.yaml"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        Assert.Contains("NicNodePolicy \"gpu-nodes\"", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("spec.ofedDriver", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_and_missing_filename_option_fail_cleanly()
    {
        var missing = await CliProcess.RunAsync("render", "-f", Path.Combine(_dir, "nope.yaml"));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("nope.yaml", missing.StdErr, StringComparison.Ordinal);
        Assert.Contains("file not found", missing.StdErr, StringComparison.Ordinal);

        var noArgs = await CliProcess.RunAsync("render");
        Assert.NotEqual(0, noArgs.ExitCode);
        Assert.Contains("--filename", noArgs.StdErr + noArgs.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenShift_driver_builds_use_the_toolkit_image_given_per_RHCOS_build()
    {
        var nodes = Write("rhcos.yaml", """
            apiVersion: v1
            kind: Node
            metadata:
              name: rhcos-1
              labels:
                kubernetes.io/arch: amd64
                feature.node.kubernetes.io/pci-15b3.present: "true"
                feature.node.kubernetes.io/system-os_release.ID: rhcos
                feature.node.kubernetes.io/system-os_release.VERSION_ID: "4.16"
                feature.node.kubernetes.io/system-os_release.OSTREE_VERSION: 416.94.202410211619-0
                feature.node.kubernetes.io/kernel-version.full: 5.14.0-427.40.1.el9_4.x86_64
            """);
        var policy = Write("ncp.yaml", """
            apiVersion: mellanox.com/v1alpha1
            kind: NicClusterPolicy
            metadata: {name: nic-cluster-policy}
            spec:
              ofedDriver: {image: doca-driver, repository: nvcr.io/nvidia/mellanox, version: doca3.1.0-25.07-0.9.7.0-0}
            """);

        var missing = await CliProcess.RunAsync("render", "-f", policy, "--nodes", nodes, "--openshift");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("416.94.202410211619-0", missing.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", missing.StdErr, StringComparison.Ordinal);

        var result = await CliProcess.RunAsync("render", "-f", policy, "--nodes", nodes, "--openshift", "-o", "json",
            "--driver-toolkit-image", "416.94.202410211619-0=quay.io/example/dtk@sha256:0123");
        Assert.True(result.ExitCode == 0, result.StdErr);
        var list = JsonNode.Parse(result.StdOut)!["items"]!.AsArray();
        var ds = list.Single(o => o!["kind"]!.GetValue<string>() == "DaemonSet")!;
        var toolkit = ds["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "openshift-driver-toolkit-ctr")!;
        Assert.Equal("quay.io/example/dtk@sha256:0123", toolkit["image"]!.GetValue<string>());

        var bad = await CliProcess.RunAsync("render", "-f", policy, "--nodes", nodes, "--openshift", "--driver-toolkit-image", "no-equals-sign");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--driver-toolkit-image expects BUILD=IMAGE", bad.StdErr, StringComparison.Ordinal);
    }
}
