using NetworkOperator.Chart.Tests.Infrastructure;

namespace NetworkOperator.Chart.Tests.Install;

/// <summary>
/// For every CI values file, the operator Deployment the chart renders is one the `run` command accepts: every arg
/// parses, every env variable is read, and the settings it resolves to match what the values asked for.
/// </summary>
[Trait("Category", "Slow")]
public class OperatorCommandLineTests
{
    [Theory]
    [MemberData(nameof(ValuesFiles))]
    public async Task The_rendered_operator_command_line_is_accepted_by_the_run_command(string valuesFile)
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync(valuesFile);
        var settings = RenderedOperatorCommand.Resolve(chart.One("Deployment"));

        Assert.Equal(RenderedChart.Namespace, settings.Operator.Environment.Namespace);
        Assert.True(settings.Operator.LeaderElect);
        Assert.Equal(chart.Has("ValidatingWebhookConfiguration"), settings.Webhook.Enabled);
        Assert.Equal(chart.Has("ValidatingWebhookConfiguration"), settings.Operator.Environment.EnableWebhooks);
        if (settings.Webhook.Enabled)
        {
            Assert.Equal(RenderedChart.Name(chart.One("Service")), settings.Webhook.ServiceName);
            Assert.Equal(RenderedChart.Name(chart.One("ValidatingWebhookConfiguration")), settings.Webhook.ConfigurationName);
        }
    }

    [Fact]
    public async Task Maintenance_operator_values_reach_the_operator_environment()
    {
        var chart = await RenderedChart.RenderWithValuesFileAsync("custom-image-values.yaml");
        var env = RenderedOperatorCommand.Resolve(chart.One("Deployment")).Operator.Environment;

        Assert.True(env.MaintenanceOperatorEnabled);
        Assert.Equal("maintenance", env.MaintenanceOperatorRequestorNamespace);
        Assert.False(env.UseDriverToolkit);
        Assert.Equal("/var/lib/cni/bin", env.CniBinDirectory);
        Assert.Null(env.OfedInitContainerImage);
    }

    public static TheoryData<string> ValuesFiles() => new(ChartWorkspace.CiValuesFiles().Select(Path.GetFileName)!);
}
