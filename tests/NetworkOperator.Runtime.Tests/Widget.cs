using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using NetworkOperator.Api;

namespace NetworkOperator.Runtime.Tests;

/// <summary>A custom resource for tests (example.com/v1 Widget, namespaced, with a status subresource).</summary>
[KubernetesEntity(Group = "example.com", ApiVersion = "v1", Kind = "Widget", PluralName = "widgets")]
[EntityScope(EntityScope.Namespaced)]
public sealed class Widget : IKubernetesObject<V1ObjectMeta>
{
    public static readonly ResourceKind ResourceKind = ResourceKinds.For<Widget>();

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "example.com/v1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Widget";

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public WidgetSpec? Spec { get; set; }

    [JsonPropertyName("status")]
    public WidgetStatus? Status { get; set; }

    public static async Task InstallAsync(IKubernetes client)
    {
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = "widgets.example.com" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = "example.com",
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = "widgets", Singular = "widget", Kind = "Widget", ListKind = "WidgetList" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = "v1", Served = true, Storage = true,
                        Subresources = new V1CustomResourceSubresources { Status = new object() },
                        Schema = new V1CustomResourceValidation
                        {
                            OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true },
                        },
                    },
                ],
            },
        });
    }

    public static Widget New(string name, int size, string ns = "default") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new WidgetSpec { Size = size },
    };
}

public sealed class WidgetSpec
{
    [JsonPropertyName("size")]
    public int Size { get; set; }
}

public sealed class WidgetStatus
{
    [JsonPropertyName("state")]
    public string? State { get; set; }
}
