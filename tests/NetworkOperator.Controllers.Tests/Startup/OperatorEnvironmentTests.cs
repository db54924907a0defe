using NetworkOperator.Controllers.Startup;

namespace NetworkOperator.Controllers.Tests.Startup;

public sealed class OperatorEnvironmentTests
{
    [Fact]
    public void DefaultsMatchUpstream()
    {
        var env = OperatorEnvironment.Read(_ => null);
        Assert.Equal("nvidia-network-operator", env.Namespace);
        Assert.Equal(TimeSpan.FromSeconds(5), env.NotReadyRequeue);
        Assert.Equal(TimeSpan.FromMinutes(30), env.DriverImagePollPeriod);
        Assert.True(env.UseDriverToolkit);
        Assert.False(env.DisableMigration);
        Assert.False(env.EnableWebhooks);
        Assert.Null(env.CniBinDirectory);
        Assert.Equal("default", env.MaintenanceOperatorRequestorNamespace);
        Assert.Equal("nvidia-operator", env.MaintenanceOperatorNodeMaintenancePrefix);
    }

    [Fact]
    public void ReadsEveryVariable()
    {
        var values = new Dictionary<string, string>
        {
            ["POD_NAMESPACE"] = "netop", ["CONTROLLER_REQUEST_REQUEUE_SECONDS"] = "0.5", ["DOCA_DRIVER_IMAGE_POLL_TIME_MINUTES"] = "2",
            ["OFED_INIT_CONTAINER_IMAGE"] = "reg/init:1", ["USE_DTK"] = "false", ["CNI_BIN_DIR"] = "/b", ["CNI_NETWORK_DIR"] = "/n",
            ["DISABLE_MIGRATION"] = "true", ["ENABLE_WEBHOOKS"] = "1", ["SKIP_VALIDATIONS"] = "T",
            ["MAINTENANCE_OPERATOR_ENABLED"] = "true", ["MAINTENANCE_OPERATOR_REQUESTOR_ID"] = "id",
            ["MAINTENANCE_OPERATOR_REQUESTOR_NAMESPACE"] = "mo", ["MAINTENANCE_OPERATOR_NODE_MAINTENANCE_PREFIX"] = "p",
        };
        var env = OperatorEnvironment.Read(values.GetValueOrDefault);
        Assert.Equal("netop", env.Namespace);
        Assert.Equal(TimeSpan.FromMilliseconds(500), env.NotReadyRequeue);
        Assert.Equal(TimeSpan.FromMinutes(2), env.DriverImagePollPeriod);
        Assert.Equal("reg/init:1", env.OfedInitContainerImage);
        Assert.False(env.UseDriverToolkit);
        Assert.Equal(("/b", "/n"), (env.CniBinDirectory, env.CniNetworkDirectory));
        Assert.True(env.DisableMigration && env.EnableWebhooks && env.SkipValidations && env.MaintenanceOperatorEnabled);
        Assert.Equal(("id", "mo", "p"), (env.MaintenanceOperatorRequestorId, env.MaintenanceOperatorRequestorNamespace, env.MaintenanceOperatorNodeMaintenancePrefix));
    }

    [Theory]
    [InlineData("CONTROLLER_REQUEST_REQUEUE_SECONDS", "soon")]
    [InlineData("CONTROLLER_REQUEST_REQUEUE_SECONDS", "-1")]
    [InlineData("USE_DTK", "maybe")]
    public void MalformedValuesNameTheVariable(string name, string value)
    {
        var ex = Assert.Throws<OperatorConfigurationException>(() => OperatorEnvironment.Read(n => n == name ? value : null));
        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }
}
