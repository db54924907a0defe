namespace NetworkOperator.Simulator.ApiServer;

/// <summary>A resource URL taken apart: /api/v1/... or /apis/{group}/{version}/..., then [namespaces/{ns}/]{resource}[/{name}[/{sub}]].</summary>
internal sealed record RequestPath(string Group, string Version, string? Namespace, string Resource, string? Name, string? Subresource)
{
    public static RequestPath? Parse(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        int index;
        string group;
        string version;
        if (segments.Length >= 2 && segments[0] == "api")
        {
            (group, version, index) = ("", segments[1], 2);
        }
        else if (segments.Length >= 3 && segments[0] == "apis")
        {
            (group, version, index) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }

        var rest = segments[index..].Select(Uri.UnescapeDataString).ToArray();
        if (rest.Length == 0)
        {
            return null;
        }

        // namespaces/{ns} alone, or namespaces/{ns}/status|finalize, address the Namespace object itself.
        if (rest[0] == "namespaces" && rest.Length >= 3 && !(group.Length == 0 && rest.Length == 3 && rest[2] is "status" or "finalize"))
        {
            var ns = rest[1];
            return rest.Length switch
            {
                3 => new RequestPath(group, version, ns, rest[2], null, null),
                4 => new RequestPath(group, version, ns, rest[2], rest[3], null),
                5 => new RequestPath(group, version, ns, rest[2], rest[3], rest[4]),
                _ => null,
            };
        }

        return rest.Length switch
        {
            1 => new RequestPath(group, version, null, rest[0], null, null),
            2 => new RequestPath(group, version, null, rest[0], rest[1], null),
            3 => new RequestPath(group, version, null, rest[0], rest[1], rest[2]),
            _ => null,
        };
    }
}
