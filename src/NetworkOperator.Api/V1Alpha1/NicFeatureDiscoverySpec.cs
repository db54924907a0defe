namespace NetworkOperator.Api.V1Alpha1;

/// <summary>NIC feature discovery: image settings only.</summary>
public sealed class NicFeatureDiscoverySpec : ImageSpec;
