using System.CommandLine;
using NetworkOperator.Api.V1Alpha1;
using NetworkOperator.Rendering;
using NetworkOperator.Rendering.Ofed;
using NetworkOperator.Rendering.Preview;

namespace NetworkOperator.Cli.Commands;

/// <summary>
/// <c>render</c>: an offline dry-run. Prints every object the operator would apply for the given custom resources, in
/// apply order, on stdout; a summary on stderr. Touches no cluster and, unless asked, no registry.
/// </summary>
internal sealed class RenderCommand : ICliCommand
{
    public int Order => 200;

    public Command Build()
    {
        var files = InputFileOption.Create(InputFileOption.PoliciesAndConfigMaps);
        var nodes = new Option<string?>("--nodes") { Description = "Node inventory, e.g. the output of `kubectl get nodes -o yaml`; decides the driver pools." };
        var openShift = new Option<bool>("--openshift") { Description = "Render for OpenShift (SCC roles, service-CA webhook certificates, /var/lib/cni/bin)." };
        var ns = new Option<string>("--namespace", "-n") { Description = "Operator namespace.", DefaultValueFactory = _ => ClusterFacts.DefaultOperatorNamespace };
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "yaml" };
        output.OneOf("yaml", "json");
        var initImage = new Option<string?>("--ofed-init-container-image") { Description = "Image of the driver init container (the operator's OFED_INIT_CONTAINER_IMAGE)." };
        var toolkit = new Option<string[]>("--driver-toolkit-image")
        {
            Description = "With --openshift: the Driver Toolkit image of an RHCOS build, as BUILD=IMAGE (the tag of ImageStream openshift/driver-toolkit named after the nodes' OSTREE_VERSION label). Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var lookup = new Option<bool>("--precompiled-lookup") { Description = "Ask the image registry which precompiled driver tags exist (network access). Off: every pool builds from source." };

        var command = new Command("render", "Preview the Kubernetes objects the operator would deploy for the given resources, without a cluster.")
        {
            files, nodes, openShift, ns, output, initImage, toolkit, lookup,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var input = RenderInput.Load(parse.GetValue(files) ?? [], parse.GetValue(nodes));
            if (input.Errors.Count > 0)
            {
                throw new UserErrorException(string.Join("\nerror: ", input.Errors.Select(e => e.ToString())));
            }

            foreach (var skipped in input.Skipped)
            {
                await Console.Error.WriteLineAsync("note: " + skipped);
            }

            foreach (var warning in input.Warnings)
            {
                await Console.Error.WriteLineAsync("warning: " + warning);
            }

            if (input.Resources.Count == 0)
            {
                throw new UserErrorException("nothing to render: the files hold no NicClusterPolicy, NicNodePolicy, MacvlanNetwork, HostDeviceNetwork or IPoIBNetwork");
            }

            IPrecompiledTagLister? lister = null;
            if (parse.GetValue(lookup))
            {
                lister = await FetchTagsAsync(input, cancellationToken);
            }

            var facts = new ClusterFacts
            {
                ClusterType = parse.GetValue(openShift) ? ClusterType.OpenShift : ClusterType.Kubernetes,
                Nodes = input.Nodes,
                OperatorNamespace = parse.GetValue(ns) ?? ClusterFacts.DefaultOperatorNamespace,
                ConfigMapKeys = input.ConfigMapKeys,
                OfedInitContainerImage = parse.GetValue(initImage),
                PrecompiledTags = lister,
                DriverToolkitImages = ToolkitImages(parse.GetValue(toolkit) ?? [], parse.GetValue(openShift)),
            };
            var outcomes = ClusterRenderer.RenderAll(input.Resources, facts);
            var failed = outcomes.Where(o => o.Error is not null).ToList();
            if (failed.Count > 0)
            {
                // Nothing on stdout: a partial object set must not be mistaken for the whole one.
                await Console.Error.WriteAsync(RenderSummary.Format(outcomes, input.Nodes.Count));
                throw new UserErrorException(string.Join("\nerror: ", failed.Select(f => $"{f.Kind} \"{f.Name}\" ({f.State}): {f.Error!.Message}")));
            }

            var objects = RenderOutput.Objects(outcomes);
            await Console.Out.WriteAsync(parse.GetValue(output) == "json" ? RenderOutput.ToJsonList(objects) : RenderOutput.ToYaml(objects));
            await Console.Error.WriteAsync(RenderSummary.Format(outcomes, input.Nodes.Count));
            return 0;
        });
        return command;
    }

    private static Dictionary<string, string> ToolkitImages(string[] values, bool openShift)
    {
        if (values.Length > 0 && !openShift)
        {
            throw new UserErrorException("--driver-toolkit-image needs --openshift (the Driver Toolkit exists on OpenShift only)");
        }

        var images = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var separator = value.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0 || separator == value.Length - 1)
            {
                throw new UserErrorException($"--driver-toolkit-image expects BUILD=IMAGE (e.g. 416.94.202410211619-0=quay.io/...@sha256:...), got '{value}'");
            }

            images[value[..separator]] = value[(separator + 1)..];
        }

        return images;
    }

    private static async Task<IPrecompiledTagLister> FetchTagsAsync(RenderInput input, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var lister = new RegistryTagLister(http, TimeProvider.System);
        var drivers = input.Resources.OfType<NicClusterPolicy>().Select(p => (p.Spec.OfedDriver, p.Spec.Global))
            .Concat(input.Resources.OfType<NicNodePolicy>().Select(p => (p.Spec.OfedDriver, (GlobalConfig?)null)));
        foreach (var (driver, global) in drivers)
        {
            var repository = string.IsNullOrEmpty(driver?.Repository) ? global?.Repository : driver.Repository;
            if (driver?.Image is { Length: > 0 } image && !string.IsNullOrEmpty(repository))
            {
                await lister.RefreshAsync(repository, image, cancellationToken);
            }
        }

        return lister;
    }
}
