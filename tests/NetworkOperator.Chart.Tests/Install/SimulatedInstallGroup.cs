namespace NetworkOperator.Chart.Tests.Install;

/// <summary>One helm install into the simulator, shared by the tests that need it (it takes a while to set up).</summary>
[CollectionDefinition(Name)]
public sealed class SimulatedInstallGroup : ICollectionFixture<SimulatedInstall>
{
    public const string Name = "helm install into the simulated cluster";
}
