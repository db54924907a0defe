using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Schema;

namespace NetworkOperator.Simulator.Discovery;

/// <summary>
/// Legacy discovery (/api, /apis, /api/v1, /apis/{g}/{v}) built from the registry. kubectl asks for aggregated
/// discovery first but accepts these when they come back as plain application/json.
/// </summary>
internal sealed class DiscoveryDocuments
{
    private readonly ResourceRegistry _registry;
    private readonly object _lock = new();
    private long _builtFor = -1;
    private Dictionary<string, string> _documents = [];

    public DiscoveryDocuments(ResourceRegistry registry)
    {
        _registry = registry;
    }

    /// <summary>The document for a discovery path ("/api", "/apis", "/api/v1", "/apis/g/v", "/apis/g"), or null.</summary>
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
        var documents = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["/api"] = new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = "127.0.0.1" }),
            }.ToJsonString(),
        };

        var groups = new JsonArray();
        foreach (var byGroup in types.Where(t => t.Group.Length > 0).GroupBy(t => t.Group))
        {
            var versions = byGroup.Select(t => t.Version).Distinct().OrderByDescending(VersionPriority).ToList();
            var preferred = byGroup.FirstOrDefault(t => t.IsStorageVersion)?.Version ?? versions[0];
            if (!byGroup.First().IsCustom)
            {
                preferred = versions[0];
            }

            var versionArray = new JsonArray(versions.Select(v => (JsonNode)new JsonObject
            {
                ["groupVersion"] = $"{byGroup.Key}/{v}",
                ["version"] = v,
            }).ToArray());
            var group = new JsonObject
            {
                ["name"] = byGroup.Key,
                ["versions"] = versionArray,
                ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{byGroup.Key}/{preferred}", ["version"] = preferred },
            };
            groups.Add(group);
            documents[$"/apis/{byGroup.Key}"] = new JsonObject
            {
                ["kind"] = "APIGroup",
                ["apiVersion"] = "v1",
                ["name"] = byGroup.Key,
                ["versions"] = versionArray.DeepClone(),
                ["preferredVersion"] = group["preferredVersion"]!.DeepClone(),
            }.ToJsonString();
        }

        documents["/apis"] = new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups }.ToJsonString();

        foreach (var byGv in types.GroupBy(t => t.ApiVersion))
        {
            var resources = new JsonArray();
            foreach (var type in byGv)
            {
                var resource = new JsonObject
                {
                    ["name"] = type.Plural,
                    ["singularName"] = type.Singular,
                    ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind,
                    ["verbs"] = new JsonArray(ResourceType.Verbs.Select(v => (JsonNode)v).ToArray()),
                };
                if (type.ShortNames.Count > 0)
                {
                    resource["shortNames"] = new JsonArray(type.ShortNames.Select(s => (JsonNode)s).ToArray());
                }

                if (type.Categories.Count > 0)
                {
                    resource["categories"] = new JsonArray(type.Categories.Select(s => (JsonNode)s).ToArray());
                }

                resources.Add(resource);
                if (type.Scale is not null)
                {
                    resources.Add(Subresource(type, "scale", ["get", "patch", "update"]));
                }

                if (type.HasStatusSubresource)
                {
                    resources.Add(Subresource(type, "status", ["get", "patch", "update"]));
                }

                foreach (var extra in type.ExtraSubresources)
                {
                    resources.Add(Subresource(type, extra, extra == "log" ? ["get"] : ["create"]));
                }
            }

            var path = byGv.First().Group.Length == 0 ? "/api/v1" : $"/apis/{byGv.Key}";
            documents[path] = new JsonObject
            {
                ["kind"] = "APIResourceList",
                ["apiVersion"] = "v1",
                ["groupVersion"] = byGv.Key,
                ["resources"] = resources,
            }.ToJsonString();
        }

        return documents;
    }

    private static JsonObject Subresource(ResourceType type, string name, string[] verbs)
    {
        var entry = new JsonObject
        {
            ["name"] = $"{type.Plural}/{name}",
            ["singularName"] = "",
            ["namespaced"] = type.Namespaced,
        };
        // A subresource whose body is another group's kind says so, as the real server does: kubectl drain uses
        // the Eviction API only when pods/eviction names its group and version, and deletes pods otherwise.
        if (name is "eviction" or "scale")
        {
            entry["group"] = name == "eviction" ? "policy" : "autoscaling";
            entry["version"] = "v1";
        }

        entry["kind"] = name switch
        {
            "eviction" => "Eviction",
            "scale" => "Scale",
            "binding" => "Binding",
            _ => type.Kind,
        };
        entry["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)v).ToArray());
        return entry;
    }

    /// <summary>Kubernetes version ordering: GA above beta above alpha, higher numbers first.</summary>
    private static int VersionPriority(string version)
    {
        var match = System.Text.RegularExpressions.Regex.Match(version, "^v(\\d+)(?:(alpha|beta)(\\d+))?$");
        if (!match.Success)
        {
            return 0;
        }

        var major = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var stage = match.Groups[2].Value switch { "alpha" => 1, "beta" => 2, _ => 3 };
        var minor = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return (stage * 1_000_000) + (major * 1000) + minor;
    }
}
