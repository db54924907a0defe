using System.Collections;
using System.Text.Json.Nodes;
using NetworkOperator.Cli.Commands;

namespace NetworkOperator.Chart.Tests.Install;

/// <summary>
/// The operator container of a rendered Deployment, turned into the settings the `run` command would start with in
/// that pod: the container's args are parsed by the CLI's own `run` command (an arg it does not know fails the
/// test), and its env is resolved the way the kubelet would (fieldRef metadata.namespace is the pod's namespace);
/// a variable the operator never reads fails the test too.
/// </summary>
public static class RenderedOperatorCommand
{
    public const string ContainerName = "network-operator";

    internal static RunSettings Resolve(JsonObject deployment)
    {
        var podNamespace = deployment["metadata"]!["namespace"]!.GetValue<string>();
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray()
            .Single(c => c!["name"]!.GetValue<string>() == ContainerName)!;
        Assert.Equal(["network-operator"], Strings(container["command"]));
        var args = Strings(container["args"]);
        Assert.True(args.Count > 0 && args[0] == "run", $"the operator container must run `network-operator run`, got: {string.Join(' ', args)}");

        var run = new RunCommand();
        var parsed = run.Build().Parse(args.Skip(1).ToList());
        Assert.True(parsed.Errors.Count == 0,
            $"the rendered Deployment passes args the run command does not accept: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");

        var env = Environment(container, podNamespace);
        var settings = run.Resolve(parsed, env);
        var unread = env.Keys.Cast<string>().Except(env.Read).Except(UnreadByDesign).Order(StringComparer.Ordinal).ToList();
        Assert.True(unread.Count == 0, $"the rendered Deployment sets env the operator never reads: {string.Join(", ", unread)}");
        return settings;
    }

    /// <summary>Set by the chart for upstream compatibility (docs/install.md) though this operator does not need it.</summary>
    private static readonly string[] UnreadByDesign = ["OPERATOR_NAME"];

    private static RecordingEnvironment Environment(JsonNode container, string podNamespace)
    {
        var env = new RecordingEnvironment();
        foreach (var entry in container["env"]?.AsArray() ?? [])
        {
            var name = entry!["name"]!.GetValue<string>();
            if (entry["value"] is { } value)
            {
                env[name] = value.GetValue<string>();
            }
            else if (entry["valueFrom"]?["fieldRef"]?["fieldPath"]?.GetValue<string>() == "metadata.namespace")
            {
                env[name] = podNamespace;
            }
            else
            {
                Assert.Fail($"env {name} of the operator container has a source this test cannot resolve: {entry.ToJsonString()}");
            }
        }

        Assert.Null(container["envFrom"]);
        return env;
    }

    /// <summary>An environment that remembers which variables were looked up.</summary>
    private sealed class RecordingEnvironment : Hashtable
    {
        public RecordingEnvironment()
            : base(StringComparer.Ordinal)
        {
        }

        public HashSet<string> Read { get; } = new(StringComparer.Ordinal);

        public override object? this[object key]
        {
            get
            {
                Read.Add((string)key);
                return base[key];
            }

            set => base[key] = value;
        }
    }

    private static List<string> Strings(JsonNode? node) => node?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
}
