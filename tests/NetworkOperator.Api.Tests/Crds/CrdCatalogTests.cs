using System.Text.Json.Nodes;
using Json.Schema;
using k8s.Models;
using NetworkOperator.Api.Crds;
using NetworkOperator.Api.Serialization;

namespace NetworkOperator.Api.Tests.Crds;

public class CrdCatalogTests
{
    [Fact]
    public void Checked_in_crd_files_equal_the_generated_ones_byte_for_byte()
    {
        var directory = Path.Combine(TestFiles.RepositoryRoot, CrdCatalog.ChartCrdDirectory);
        if (Environment.GetEnvironmentVariable("UPDATE_CRDS") == "1")
        {
            CrdCatalog.WriteFiles(directory);
        }

        var expectedNames = CrdCatalog.All.Select(CrdCatalog.FileNameOf).Order(StringComparer.Ordinal).ToList();
        var actualNames = Directory.GetFiles(directory, "*.yaml").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expectedNames, actualNames);
        foreach (var crd in CrdCatalog.All)
        {
            var checkedIn = File.ReadAllText(Path.Combine(directory, CrdCatalog.FileNameOf(crd)));
            Assert.True(
                checkedIn == CrdCatalog.ToYaml(crd),
                $"{CrdCatalog.FileNameOf(crd)} is stale; regenerate with: UPDATE_CRDS=1 dotnet test tests/NetworkOperator.Api.Tests");
        }
    }

    [Fact]
    public void Every_integer_field_is_bounded_by_its_format_so_the_server_refuses_values_that_do_not_fit()
    {
        var checkedFields = 0;
        foreach (var crd in CrdCatalog.All)
        {
            foreach (var (path, schema) in Walk(crd.Spec.Versions[0].Schema.OpenAPIV3Schema, crd.Spec.Names.Kind))
            {
                if (schema.Type != "integer")
                {
                    continue;
                }

                checkedFields++;
                var (min, max) = schema.Format switch
                {
                    "int32" => ((double)int.MinValue, (double)int.MaxValue),
                    "int64" => ((double)long.MinValue, (double)long.MaxValue),
                    _ => throw new Xunit.Sdk.XunitException($"{path}: integer without int32/int64 format"),
                };
                Assert.True(schema.Maximum == max, $"{path}: maximum {schema.Maximum}, expected {max}");
                // A field-specific minimum (e.g. 0 for counts) may be tighter than the format's.
                Assert.True(schema.Minimum is { } m && m >= min && m <= max, $"{path}: minimum {schema.Minimum}");
            }
        }

        // MacvlanNetwork mtu, upgrade parallelism, timeouts, probe numbers, ...: many fields, not a handful.
        Assert.True(checkedFields > 30, $"only {checkedFields} integer fields found");
        var mtu = Walk(CrdCatalog.All.Single(c => c.Spec.Names.Kind == "MacvlanNetwork").Spec.Versions[0].Schema.OpenAPIV3Schema, "MacvlanNetwork")
            .Single(f => f.Path == "MacvlanNetwork.spec.mtu").Schema;
        Assert.Equal((0d, (double)int.MaxValue), (mtu.Minimum, mtu.Maximum));
    }

    private static IEnumerable<(string Path, V1JSONSchemaProps Schema)> Walk(V1JSONSchemaProps schema, string path)
    {
        yield return (path, schema);
        foreach (var (name, child) in schema.Properties ?? new Dictionary<string, V1JSONSchemaProps>())
        {
            foreach (var entry in Walk(child, $"{path}.{name}"))
            {
                yield return entry;
            }
        }

        if (schema.Items is V1JSONSchemaProps items)
        {
            foreach (var entry in Walk(items, path + "[]"))
            {
                yield return entry;
            }
        }

        if (schema.AdditionalProperties is V1JSONSchemaProps values)
        {
            foreach (var entry in Walk(values, path + "{}"))
            {
                yield return entry;
            }
        }
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        var first = CrdCatalog.ToYamlStream();
        var second = string.Concat(CrdCatalog.All.Select(CrdCatalog.ToYaml));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Catalog_lists_the_six_crds_with_names_scopes_and_short_names()
    {
        var crds = CrdCatalog.All.ToDictionary(c => c.Metadata.Name);

        Assert.Equal(
            ["nicclusterpolicies.mellanox.com", "nicnodepolicies.mellanox.com", "macvlannetworks.mellanox.com",
             "hostdevicenetworks.mellanox.com", "ipoibnetworks.mellanox.com", "network-attachment-definitions.k8s.cni.cncf.io"],
            CrdCatalog.All.Select(c => c.Metadata.Name));
        Assert.Equal(["ncp"], crds["nicclusterpolicies.mellanox.com"].Spec.Names.ShortNames);
        Assert.Equal(["nicnode", "nnp"], crds["nicnodepolicies.mellanox.com"].Spec.Names.ShortNames);
        Assert.Equal(["nad", "net-attach-def"], crds["network-attachment-definitions.k8s.cni.cncf.io"].Spec.Names.ShortNames);
        Assert.All(crds.Values.Where(c => c.Spec.Group == "mellanox.com"), c =>
        {
            Assert.Equal("Cluster", c.Spec.Scope);
            Assert.NotNull(c.Spec.Versions.Single().Subresources.Status);
            Assert.Equal(".status.state", c.Spec.Versions[0].AdditionalPrinterColumns[0].JsonPath);
            Assert.Equal("Age", c.Spec.Versions[0].AdditionalPrinterColumns[^1].Name);
        });
        Assert.Equal("Namespaced", crds["network-attachment-definitions.k8s.cni.cncf.io"].Spec.Scope);
        Assert.Contains(crds["nicclusterpolicies.mellanox.com"].Spec.Versions[0].AdditionalPrinterColumns, c => c.Name == "Ready");
    }

    [Fact]
    public void Schema_carries_defaults_enums_patterns_minimums_required_and_cel_rules()
    {
        var spec = Schema("nicclusterpolicies.mellanox.com").Properties["spec"];
        var ofed = spec.Properties["ofedDriver"];

        Assert.Equal("300", Json(ofed.Properties["terminationGracePeriodSeconds"].DefaultProperty));
        Assert.Equal(0, ofed.Properties["terminationGracePeriodSeconds"].Minimum);
        Assert.Contains("image", ofed.Required);
        Assert.Equal(@"[a-zA-Z0-9\-]+", ofed.Properties["image"].Pattern);
        Assert.Equal("true", Json(ofed.Properties["upgradePolicy"].Properties["drain"].Properties["enable"].DefaultProperty));
        Assert.Equal("[]", Json(ofed.Properties["imagePullSecrets"].DefaultProperty));
        Assert.True(ofed.Properties["upgradePolicy"].Properties["maxUnavailable"].XKubernetesIntOrString);
        Assert.True(ofed.Properties["containerResources"].Items is V1JSONSchemaProps { } resources
            && resources.Properties["limits"].AdditionalProperties is V1JSONSchemaProps { XKubernetesIntOrString: true });
        var storage = spec.Properties["nicConfigurationOperator"].Properties["nicFirmwareStorage"];
        Assert.Equal("self == oldSelf", storage.Properties["storageClassName"].XKubernetesValidations.Single().Rule);
        Assert.Equal("self == oldSelf", storage.Properties["availableStorageSize"].XKubernetesValidations.Single().Rule);
        Assert.Equal("\"nic-fw-storage-pvc\"", Json(storage.Properties["pvcName"].DefaultProperty));
        Assert.Equal("[\"info\",\"debug\"]", Json(spec.Properties["nicConfigurationOperator"].Properties["logLevel"].EnumProperty));
        Assert.Equal(["operator", "configurationDaemon"], spec.Properties["nicConfigurationOperator"].Required.Order(StringComparer.Ordinal).Reverse());
        Assert.Contains("ipamPlugin", spec.Properties["secondaryNetwork"].Properties.Keys);
        var toleration = (V1JSONSchemaProps)spec.Properties["tolerations"].Items;
        Assert.Equal("integer", toleration.Properties["tolerationSeconds"].Type);
        var conditions = Schema("nicnodepolicies.mellanox.com").Properties["status"].Properties["conditions"];
        Assert.Equal("map", conditions.XKubernetesListType);
        Assert.Equal(["type"], conditions.XKubernetesListMapKeys);
        Assert.Equal("[\"bridge\",\"private\",\"vepa\",\"passthru\"]", Json(Schema("macvlannetworks.mellanox.com").Properties["spec"].Properties["mode"].EnumProperty));
    }

    [Fact]
    public void Every_schema_node_is_structural()
    {
        foreach (var crd in CrdCatalog.All)
        {
            AssertStructural(crd.Spec.Versions[0].Schema.OpenAPIV3Schema, crd.Metadata.Name);
        }
    }

    [Fact]
    public void Crd_yaml_reads_back_strictly_as_a_kubernetes_crd()
    {
        foreach (var crd in CrdCatalog.All)
        {
            var back = KubernetesObjectSerializer.FromYaml<V1CustomResourceDefinition>(CrdCatalog.ToYaml(crd));

            Assert.Equal(crd.Metadata.Name, back.Metadata.Name);
        }
    }

    public static TheoryData<string, string> Examples => new()
    {
        { "nicclusterpolicy-full.yaml", "nicclusterpolicies.mellanox.com" },
        { "nicnodepolicy-full.yaml", "nicnodepolicies.mellanox.com" },
        { "macvlannetwork-full.yaml", "macvlannetworks.mellanox.com" },
        { "hostdevicenetwork-full.yaml", "hostdevicenetworks.mellanox.com" },
        { "ipoibnetwork-full.yaml", "ipoibnetworks.mellanox.com" },
        { "networkattachmentdefinition-full.yaml", "network-attachment-definitions.k8s.cni.cncf.io" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Full_examples_satisfy_the_generated_schema(string file, string crdName)
    {
        var instance = YamlJson.ParseDocuments(TestFiles.Read(file)).Single().Root!;

        var result = JsonSchemaFor(crdName).Evaluate(ToElement(instance), new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Theory]
    [InlineData("macvlannetworks.mellanox.com", """{"spec": {"mode": "fast"}}""")]
    [InlineData("macvlannetworks.mellanox.com", """{"spec": {"mtu": -1}}""")]
    [InlineData("nicclusterpolicies.mellanox.com", """{"spec": {"ofedDriver": {"version": "1"}}}""")]
    [InlineData("nicclusterpolicies.mellanox.com", """{"spec": {"nicConfigurationOperator": {"operator": {"image": "a"}, "configurationDaemon": {"image": "b"}, "nicFirmwareStorage": {"availableStorageSize": "1GB"}}}}""")]
    [InlineData("nicclusterpolicies.mellanox.com", """{"spec": {"ofedDriver": {"image": "a", "containerResources": [{"name": "x", "limits": {"cpu": "lots"}}]}}}""")]
    public void Generated_schema_rejects_invalid_objects(string crdName, string json)
    {
        var result = JsonSchemaFor(crdName).Evaluate(ToElement(JsonNode.Parse(json)!));

        Assert.False(result.IsValid);
    }

    private static string Json(object value) => KubernetesObjectSerializer.ToJson(value);

    private static System.Text.Json.JsonElement ToElement(JsonNode node) => System.Text.Json.JsonDocument.Parse(node.ToJsonString()).RootElement;

    private static V1JSONSchemaProps Schema(string crdName) =>
        CrdCatalog.All.Single(c => c.Metadata.Name == crdName).Spec.Versions[0].Schema.OpenAPIV3Schema;

    private static JsonSchema JsonSchemaFor(string crdName)
    {
        // OpenAPI v3 structural schemas are JSON Schema apart from x-kubernetes-* annotations, which evaluate as no-ops.
        var tree = KubernetesObjectSerializer.ToJsonNode(Schema(crdName));
        StripKubernetesExtensions(tree);
        return JsonSchema.FromText(tree.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    private static void StripKubernetesExtensions(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).Where(k => k.StartsWith("x-kubernetes-", StringComparison.Ordinal)).ToList())
                {
                    obj.Remove(key);
                }

                foreach (var (_, child) in obj)
                {
                    StripKubernetesExtensions(child);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    StripKubernetesExtensions(item);
                }

                break;
        }
    }

    private static void AssertStructural(V1JSONSchemaProps schema, string where)
    {
        Assert.True(schema.Type is not null || schema.XKubernetesIntOrString == true || schema.XKubernetesPreserveUnknownFields == true, $"{where} has no type");
        foreach (var (name, child) in schema.Properties ?? new Dictionary<string, V1JSONSchemaProps>())
        {
            AssertStructural(child, where + "." + name);
        }

        if (schema.Items is V1JSONSchemaProps items)
        {
            AssertStructural(items, where + "[]");
        }

        if (schema.AdditionalProperties is V1JSONSchemaProps values)
        {
            AssertStructural(values, where + "{}");
        }
    }
}
