using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Api.Components;

/// <summary>
/// One image a component's section configures. Most sections are the image themselves; a few carry two (the NIC
/// configuration operator and its daemon) or a side image whose pods are not the component's (Spectrum-X's x-plane).
/// </summary>
/// <param name="Path">Field path of the image section, e.g. <c>spec.nicConfigurationOperator.operator</c>.</param>
/// <param name="Of">The image section of a policy spec, or null when it is not set.</param>
/// <param name="HasContainers">Whether its <c>containerResources</c> target the component's containers.</param>
/// <param name="VersionRequired">False for the driver, whose version is checked by the driver's own rules.</param>
public sealed record ComponentImage(string Path, Func<INicPolicySpec, ImageSpec?> Of, bool HasContainers = true, bool VersionRequired = true);
