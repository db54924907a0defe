using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using NetworkOperator.Api.Contract;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace NetworkOperator.Tools.Demo;

/// <summary>
/// One look at everything the demo shows: the policy's state and components, the driver pools, the nodes' driver
/// upgrade states and the sample workload's pods with their secondary-network addresses. Read fresh from the API server
/// each time, so the view tells what <c>kubectl</c> would, including after edits made with it.
/// </summary>
internal sealed record DemoStatus(
    string PolicyState,
    IReadOnlyList<(string Name, string State, string Message)> Components,
    IReadOnlyList<(string Name, int Available, int Desired)> Pools,
    IReadOnlyDictionary<string, int> UpgradeStates,
    IReadOnlyList<string> Cordoned,
    IReadOnlyList<(string Name, string Node, string Phase, string Detail)> Workload)
{
    /// <param name="client">The demo's client.</param>
    /// <param name="operatorNamespace">Where the driver DaemonSets live.</param>
    /// <param name="workloadLabel">Selector of the sample workload's pods.</param>
    /// <param name="nodes">The nodes' upgrade states and cordons when a watch already has them; null lists the nodes.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public static async Task<DemoStatus> ReadAsync(Kubernetes client, string operatorNamespace, string workloadLabel, NodeStates? nodes,
        CancellationToken cancellationToken)
    {
        var policyObject = await client.CustomObjects.GetClusterCustomObjectAsync("mellanox.com", "v1alpha1", "nicclusterpolicies",
            ApiGroup.NicClusterPolicyName, cancellationToken: cancellationToken);
        var policy = JsonNode.Parse(KubernetesJson.Serialize(policyObject)) as JsonObject;
        var components = new List<(string, string, string)>();
        foreach (var applied in policy?["status"]?["appliedStates"]?.AsArray() ?? [])
        {
            var state = applied?["state"]?.GetValue<string>() ?? "?";
            if (state != "ignore")
            {
                components.Add((applied?["name"]?.GetValue<string>() ?? "?", state, applied?["message"]?.GetValue<string>() ?? string.Empty));
            }
        }

        var pools = (await client.AppsV1.ListNamespacedDaemonSetAsync(operatorNamespace, labelSelector: $"{Labels.State}={StateNames.Ofed}",
                cancellationToken: cancellationToken)).Items
            .OrderBy(d => d.Metadata.Name, StringComparer.Ordinal)
            .Select(d => (d.Metadata.Name, d.Status?.NumberAvailable ?? 0, d.Status?.DesiredNumberScheduled ?? 0)).ToList();

        var nodeStates = nodes ?? NodeStates.Of((await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken)).Items);
        var workload = new List<(string, string, string, string)>();
        foreach (var pod in (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: workloadLabel, cancellationToken: cancellationToken)).Items
                     .OrderBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            var phase = pod.Metadata.DeletionTimestamp is not null ? "Terminating"
                : pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting?.Reason ?? pod.Status?.Phase ?? "Pending";
            workload.Add((pod.Metadata.Name, pod.Spec.NodeName ?? "-", phase, Addresses(pod.Metadata.Annotations)));
        }

        return new DemoStatus(policy?["status"]?["state"]?.GetValue<string>() ?? "(none)", components, pools, nodeStates.UpgradeStates,
            nodeStates.Cordoned, workload);
    }

    /// <summary>The same look with the nodes' upgrade states and cordons taken from elsewhere (a watch).</summary>
    public DemoStatus With(NodeStates nodes) => this with { UpgradeStates = nodes.UpgradeStates, Cordoned = nodes.Cordoned };

    /// <summary>The secondary interfaces and addresses from Multus's network-status annotation.</summary>
    private static string Addresses(IDictionary<string, string>? annotations)
    {
        if (annotations is null || !annotations.TryGetValue(Annotations.PodNetworkStatus, out var text))
        {
            return "no secondary network yet";
        }

        var parts = new List<string>();
        foreach (var entry in JsonNode.Parse(text)?.AsArray() ?? [])
        {
            if (entry?["default"]?.GetValue<bool>() == true)
            {
                continue;
            }

            parts.Add($"{entry?["interface"]} {string.Join(",", entry?["ips"]?.AsArray().Select(i => i?.ToString()) ?? [])} ({entry?["name"]})");
        }

        return string.Join("; ", parts);
    }

    /// <summary>The live view for a terminal.</summary>
    public IRenderable Render()
    {
        // Component and pool names stay on one line; the free-text detail column is the one that wraps.
        var table = new Table().Border(TableBorder.Rounded).Title($"NicClusterPolicy {ApiGroup.NicClusterPolicyName}: {Colour(PolicyState)}")
            .AddColumn(new TableColumn("component").NoWrap()).AddColumn(new TableColumn("state").NoWrap()).AddColumn("detail");
        foreach (var (name, state, message) in Components)
        {
            table.AddRow(Markup.Escape(name), Colour(state), Markup.Escape(Shorten(message)));
        }

        foreach (var (name, available, desired) in Pools)
        {
            // Ten steps keep the bar and its count within an 80-column terminal next to the longest pool name.
            var bar = desired == 0 ? string.Empty : new string('#', available * 10 / desired).PadRight(10, '.');
            table.AddRow($"  driver pool {Markup.Escape(name)}", desired > 0 && available == desired ? Colour("ready") : Colour("notReady"),
                $"[[{bar}]] {available}/{desired}");
        }

        var rows = new List<IRenderable> { table };
        if (UpgradeStates.Count > 0)
        {
            rows.Add(new Markup(Markup.Escape($"driver upgrade: {UpgradeSummary()}")));
        }

        if (Workload.Count > 0)
        {
            var pods = new Table().Border(TableBorder.Rounded).Title("sample workload")
                .AddColumn(new TableColumn("pod").NoWrap()).AddColumn(new TableColumn("node").NoWrap()).AddColumn(new TableColumn("status").NoWrap())
                .AddColumn("secondary networks");
            foreach (var (name, node, phase, detail) in Workload)
            {
                pods.AddRow(Markup.Escape(name), Markup.Escape(node), phase == "Running" ? "[green]Running[/]" : $"[yellow]{Markup.Escape(phase)}[/]",
                    Markup.Escape(detail));
            }

            rows.Add(pods);
        }

        return new Rows(rows);
    }

    /// <summary>One plain line for logs and pipes: no colour, no redraw, names never broken.</summary>
    public string Line()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"policy {PolicyState}");
        var notReady = Components.Where(c => c.State != "ready").Select(c => $"{c.Name}={c.State}").ToList();
        text.Append(CultureInfo.InvariantCulture, $"; components {Components.Count - notReady.Count}/{Components.Count} ready");
        if (notReady.Count > 0)
        {
            text.Append(" (").Append(string.Join(" ", notReady)).Append(')');
        }

        if (Pools.Count > 0)
        {
            text.Append("; driver pools ").Append(string.Join(" ", Pools.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name}={p.Available}/{p.Desired}"))));
        }

        if (UpgradeStates.Count > 0)
        {
            text.Append("; upgrade ").Append(UpgradeSummary());
        }

        if (Workload.Count > 0)
        {
            text.Append("; workload ").Append(string.Join(", ", Workload.Select(w => $"{w.Name}={w.Phase}@{w.Node} [{w.Detail}]")));
        }

        return text.ToString();
    }

    private string UpgradeSummary() =>
        string.Join(", ", UpgradeStates.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value}"))) +
        (Cordoned.Count > 0 ? $"; cordoned {string.Join(", ", Cordoned)}" : string.Empty);

    public static string Colour(string state) => state switch
    {
        "ready" => "[green]ready[/]",
        "error" => "[red]error[/]",
        _ => $"[yellow]{Markup.Escape(state)}[/]",
    };

    private static string Shorten(string text) => text.Length <= 90 ? text : text[..87] + "...";
}
