using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Schema;

namespace NetworkOperator.Simulator.Discovery;

/// <summary>
/// The OpenAPI v3 kubectl reads: per group version, each kind's item path with a PATCH operation that names its
/// group-version-kind and lists the fieldValidation parameter, so kubectl leaves validation to the server
/// (fieldValidation=Strict) instead of falling back to OpenAPI v2 protobuf; and, as the real server publishes them, the
/// schemas of custom resources (<see cref="CustomResourceSchemas"/>), so <c>kubectl explain</c> works for them.
/// </summary>
internal sealed class OpenApiDocuments
{
    private readonly ResourceRegistry _registry;
    private readonly object _lock = new();
    private long _builtFor = -1;
    private Dictionary<string, string> _documents = [];

    public OpenApiDocuments(ResourceRegistry registry)
    {
        _registry = registry;
    }

    public string? Get(string path)
    {
        lock (_lock)
        {
            if (_builtFor != _registry.Generation)
            {
                _documents = Build(_registry.All);
                _builtFor = _registry.Generation;
            }

            return _documents.TryGetValue(path.TrimEnd('/'), out var doc) ? doc : null;
        }
    }

    private static Dictionary<string, string> Build(IReadOnlyList<ResourceType> types)
    {
        var documents = new Dictionary<string, string>(StringComparer.Ordinal);
        var rootPaths = new JsonObject();
        foreach (var byGv in types.GroupBy(t => t.ApiVersion))
        {
            var first = byGv.First();
            var key = first.Group.Length == 0 ? "api/v1" : $"apis/{byGv.Key}";
            rootPaths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}" };
            var paths = new JsonObject();
            foreach (var type in byGv)
            {
                var prefix = first.Group.Length == 0 ? "/api/v1" : $"/apis/{byGv.Key}";
                var item = type.Namespaced
                    ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}/{{name}}"
                    : $"{prefix}/{type.Plural}/{{name}}";
                paths[item] = new JsonObject
                {
                    ["patch"] = new JsonObject
                    {
                        ["operationId"] = $"patch{type.Kind}",
                        ["x-kubernetes-action"] = "patch",
                        ["x-kubernetes-group-version-kind"] = new JsonObject
                        {
                            ["group"] = type.Group,
                            ["version"] = type.Version,
                            ["kind"] = type.Kind,
                        },
                        ["parameters"] = new JsonArray(
                            Parameter("dryRun"),
                            Parameter("fieldManager"),
                            Parameter("fieldValidation"),
                            Parameter("force")),
                        ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                    },
                };
            }

            documents["/openapi/v3/" + key] = new JsonObject
            {
                ["openapi"] = "3.0.0",
                ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = VersionInfo.GitVersion },
                ["paths"] = paths,
                ["components"] = new JsonObject { ["schemas"] = CustomResourceSchemas.For(byGv) },
            }.ToJsonString();
        }

        documents["/openapi/v3"] = new JsonObject { ["paths"] = rootPaths }.ToJsonString();
        return documents;
    }

    private static JsonObject Parameter(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["description"] = name,
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };
}
