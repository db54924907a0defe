namespace NetworkOperator.Tools.Demo;

/// <summary>
/// Which counted API requests are the operator's writes. The simulated kubelets and controllers write pods, leases,
/// events, node status and the workloads' status subresources; the operator writes the objects it renders, node
/// labels (and cordons) and its own custom resources' status.
/// </summary>
internal static class WriteCounts
{
    private static readonly HashSet<string> OperatorResources = new(StringComparer.Ordinal)
    {
        "daemonsets", "deployments", "configmaps", "serviceaccounts", "services", "clusterroles", "clusterrolebindings", "roles",
        "rolebindings", "customresourcedefinitions", "validatingwebhookconfigurations", "network-attachment-definitions",
        "nicclusterpolicies", "nicnodepolicies", "macvlannetworks", "hostdevicenetworks", "ipoibnetworks", "nodes",
        "nicclusterpolicies/status", "nicnodepolicies/status", "macvlannetworks/status", "hostdevicenetworks/status", "ipoibnetworks/status",
    };

    public static bool IsWrite(string verb) => verb is "create" or "update" or "patch" or "delete" or "deletecollection";

    public static bool IsRead(string verb) => verb is "get" or "list" or "watch";

    /// <summary>A write to something the operator manages (the user's own creates of policies and networks included).</summary>
    public static bool IsOperatorWrite(string verb, string resource) => IsWrite(verb) && OperatorResources.Contains(resource);

    /// <summary>
    /// The operator's writes in <paramref name="requests"/>, leaving out the creates of the custom resources the demo
    /// itself made (<paramref name="userCreates"/>: resource → count).
    /// </summary>
    public static long OperatorWrites(IReadOnlyDictionary<(string Verb, string Resource), long> requests,
        IReadOnlyDictionary<string, long>? userCreates = null)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var total = requests.Where(r => IsOperatorWrite(r.Key.Verb, r.Key.Resource)).Sum(r => r.Value);
        return total - (userCreates?.Sum(u => Math.Min(u.Value, requests.GetValueOrDefault(("create", u.Key)))) ?? 0);
    }
}
