using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace NetworkOperator.Cli.Doctor;

/// <summary>
/// What <c>doctor</c> prints: an overview (policies and their components, nodes, networks) and the ranked findings,
/// as a terminal report or as JSON (<see cref="SchemaVersion"/>; fields are only ever added).
/// </summary>
internal sealed class DoctorReport
{
    public const int SchemaVersion = 1;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private DoctorReport(ClusterSnapshot snapshot, IReadOnlyList<Finding> findings)
    {
        Snapshot = snapshot;
        Findings = findings;
    }

    public ClusterSnapshot Snapshot { get; }

    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>Healthy: no finding of severity error (warnings say what could not be checked or is worth a look).</summary>
    public bool Healthy => Findings.All(f => f.Severity != Finding.Error);

    public static DoctorReport Diagnose(ClusterSnapshot snapshot) => new(snapshot, DoctorChecks.Run(snapshot));

    public JsonObject ToJson()
    {
        var nic = Snapshot.Nodes.Count(n => n.Map("metadata", "labels").GetValueOrDefault(Api.Contract.Labels.NicPresent) == "true");
        var notReady = Snapshot.Nodes.Count(n => !n.Arr("status", "conditions").Any(x => x.Str("type") == "Ready" && x.Str("status") == "True"));
        return new JsonObject
        {
            ["schemaVersion"] = SchemaVersion,
            ["healthy"] = Healthy,
            ["operatorNamespace"] = Snapshot.OperatorNamespace,
            ["serverVersion"] = Snapshot.ServerVersion,
            ["summary"] = new JsonObject
            {
                ["errors"] = Findings.Count(f => f.Severity == Finding.Error),
                ["warnings"] = Findings.Count(f => f.Severity == Finding.Warning),
            },
            ["policies"] = new JsonArray([.. Snapshot.ClusterPolicies.Concat(Snapshot.NodePolicies).Select(p => (JsonNode)new JsonObject
            {
                ["kind"] = p.Str("kind"),
                ["name"] = p.Name(),
                ["state"] = p.Str("status", "state"),
                ["components"] = new JsonArray([.. p.Arr("status", "appliedStates").Select(s => (JsonNode)new JsonObject
                {
                    ["name"] = s.Str("name"),
                    ["state"] = s.Str("state"),
                    ["message"] = s.Str("message") ?? string.Empty,
                })]),
            })]),
            ["nodes"] = new JsonObject { ["total"] = Snapshot.Nodes.Count, ["nic"] = nic, ["notReady"] = notReady },
            ["networks"] = new JsonArray([.. Snapshot.Networks.Select(n => (JsonNode)new JsonObject
            {
                ["kind"] = n.Str("kind"),
                ["name"] = n.Name(),
                ["networkNamespace"] = n.Str("spec", "networkNamespace") ?? "default",
                ["state"] = n.Str("status", "state"),
            })]),
            ["findings"] = new JsonArray([.. Findings.Select(f => (JsonNode)new JsonObject
            {
                ["rank"] = f.Rank,
                ["severity"] = f.Severity,
                ["cause"] = f.Cause,
                ["object"] = f.Object,
                ["component"] = f.Component,
                ["nodes"] = new JsonArray([.. f.Nodes.Select(n => (JsonNode)n)]),
                ["message"] = f.Message,
                ["fix"] = f.Fix,
            })]),
        };
    }

    public string ToJsonText() => ToJson().ToJsonString(Indented) + "\n";

    public void Write(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.MarkupLine($"[bold]network-operator doctor[/] — namespace {Markup.Escape(Snapshot.OperatorNamespace)}, server {Markup.Escape(Snapshot.ServerVersion ?? "unknown")}");
        var components = new Table().Border(TableBorder.Simple).AddColumns("POLICY", "COMPONENT", "STATE", "MESSAGE");
        foreach (var policy in Snapshot.ClusterPolicies.Concat(Snapshot.NodePolicies))
        {
            components.AddRow(new Text(policy.Ref()), new Text("-"), StateText(policy.Str("status", "state")), new Text(policy.Str("status", "reason") ?? string.Empty));
            foreach (var applied in policy.Arr("status", "appliedStates"))
            {
                components.AddRow(new Text(string.Empty), new Text(applied.Str("name") ?? string.Empty), StateText(applied.Str("state")), new Text(applied.Str("message") ?? string.Empty));
            }
        }

        if (components.Rows.Count > 0)
        {
            console.Write(components);
        }

        if (Snapshot.Networks.Count > 0)
        {
            var networks = new Table().Border(TableBorder.Simple).AddColumns("NETWORK", "NAMESPACE", "STATE");
            foreach (var network in Snapshot.Networks)
            {
                networks.AddRow(new Text(network.Ref()), new Text(network.Str("spec", "networkNamespace") ?? "default"), StateText(network.Str("status", "state")));
            }

            console.Write(networks);
        }

        var nic = Snapshot.Nodes.Count(n => n.Map("metadata", "labels").GetValueOrDefault(Api.Contract.Labels.NicPresent) == "true");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"nodes: {Snapshot.Nodes.Count}, with a Mellanox NIC: {nic}"));
        console.WriteLine();
        foreach (var finding in Findings)
        {
            var color = finding.Severity == Finding.Error ? "red" : "yellow";
            console.MarkupLine($"[bold]{finding.Rank}.[/] [{color}]{finding.Severity}[/] [bold]{Markup.Escape(finding.Cause)}[/]  {Markup.Escape(finding.Object)}" +
                               (finding.Component is { } component ? $" ({Markup.Escape(component)})" : string.Empty));
            console.MarkupLine($"   why: {Markup.Escape(finding.Message)}");
            if (finding.Nodes.Count > 0)
            {
                var shown = finding.Nodes.Take(10).ToList();
                console.MarkupLine($"   nodes ({finding.Nodes.Count}): {Markup.Escape(string.Join(", ", shown))}{(finding.Nodes.Count > shown.Count ? ", ..." : string.Empty)}");
            }

            console.MarkupLine($"   fix: {Markup.Escape(finding.Fix)}");
        }

        var errors = Findings.Count(f => f.Severity == Finding.Error);
        var warnings = Findings.Count(f => f.Severity == Finding.Warning);
        console.MarkupLine(Healthy
            ? $"[green]healthy[/]{(warnings > 0 ? $" ({warnings} warning{(warnings == 1 ? string.Empty : "s")})" : string.Empty)}"
            : $"[red]not healthy[/]: {errors} error{(errors == 1 ? string.Empty : "s")}, {warnings} warning{(warnings == 1 ? string.Empty : "s")}");
    }

    private static Markup StateText(string? state) => state switch
    {
        "ready" => new Markup("[green]ready[/]"),
        null => new Markup("-"),
        _ => new Markup($"[red]{Markup.Escape(state)}[/]"),
    };
}
