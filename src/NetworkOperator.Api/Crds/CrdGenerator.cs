using System.ComponentModel;
using System.Reflection;
using k8s.Models;

namespace NetworkOperator.Api.Crds;

/// <summary>Builds a CustomResourceDefinition for one of our kinds from its CLR type; the types are the single source of truth.</summary>
internal static class CrdGenerator
{
    public static V1CustomResourceDefinition Generate(ResourceKind kind)
    {
        var statusProperty = kind.ClrType!.GetProperty("Status");
        var schema = new V1JSONSchemaProps
        {
            Type = "object",
            Description = kind.ClrType!.GetCustomAttribute<DescriptionAttribute>()?.Description,
            Properties = new SortedDictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal)
            {
                ["apiVersion"] = new()
                {
                    Type = "string",
                    Description = "Versioned schema of this representation of the object; servers convert recognized schemas to the latest internal value.",
                },
                ["kind"] = new()
                {
                    Type = "string",
                    Description = "REST resource this object represents, in CamelCase; servers may infer it from the endpoint the client submits requests to.",
                },
                ["metadata"] = new() { Type = "object" },
                ["spec"] = OpenApiSchemaBuilder.ForType(kind.ClrType!.GetProperty("Spec")!.PropertyType),
            },
        };

        if (statusProperty is not null)
        {
            schema.Properties["status"] = OpenApiSchemaBuilder.ForType(statusProperty.PropertyType);
        }

        var version = new V1CustomResourceDefinitionVersion
        {
            Name = kind.Version,
            Served = true,
            Storage = true,
            Schema = new V1CustomResourceValidation { OpenAPIV3Schema = schema },
            Subresources = statusProperty is null ? null : new V1CustomResourceSubresources { Status = new Dictionary<string, object>() },
            AdditionalPrinterColumns = PrinterColumns(kind),
        };

        return new V1CustomResourceDefinition
        {
            ApiVersion = V1CustomResourceDefinition.KubeGroup + "/" + V1CustomResourceDefinition.KubeApiVersion,
            Kind = V1CustomResourceDefinition.KubeKind,
            Metadata = new V1ObjectMeta { Name = kind.CrdName },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = kind.Group,
                Names = new V1CustomResourceDefinitionNames
                {
                    Kind = kind.Kind,
                    ListKind = kind.Kind + "List",
                    Plural = kind.Plural,
                    Singular = kind.Singular,
                    ShortNames = kind.ShortNames.Count == 0 ? null : kind.ShortNames.ToList(),
                },
                Scope = kind.Namespaced ? "Namespaced" : "Cluster",
                Versions = [version],
            },
        };
    }

    private static List<V1CustomResourceColumnDefinition>? PrinterColumns(ResourceKind kind)
    {
        if (kind.Group != Contract.ApiGroup.Group)
        {
            return null;
        }

        var columns = new List<V1CustomResourceColumnDefinition>
        {
            new() { Name = "Status", Type = "string", JsonPath = ".status.state", Description = "Aggregate state of the object." },
        };

        if (kind == ResourceKinds.NicClusterPolicy || kind == ResourceKinds.NicNodePolicy)
        {
            columns.Add(new()
            {
                Name = "Ready",
                Type = "string",
                JsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
                Description = "Status of the Ready condition.",
            });
            columns.Add(new()
            {
                Name = "Reason",
                Type = "string",
                JsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
                Description = "Reason of the Ready condition.",
                Priority = 1,
            });
        }
        else
        {
            columns.Add(new()
            {
                Name = "Reason",
                Type = "string",
                JsonPath = ".status.reason",
                Description = "Error text when the state is error.",
                Priority = 1,
            });
        }

        columns.Add(new() { Name = "Age", Type = "date", JsonPath = ".metadata.creationTimestamp" });
        return columns;
    }
}
