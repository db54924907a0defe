using System.Text.Json;
using NetworkOperator.Api.Serialization;
using NetworkOperator.Api.V1Alpha1;

namespace NetworkOperator.Rendering.Common;

/// <summary>
/// The device plugins' <c>config</c> string. Upstream mounts a ConfigMap that it only creates when <c>config</c> is set,
/// so an empty config yields pods stuck in ContainerCreating. We refuse to render instead, with a message saying why;
/// the config is also checked to be JSON so a typo is reported here rather than in a crash-looping plugin.
/// </summary>
public static class DevicePluginConfig
{
    public static string Require(DevicePluginSpec spec, string fieldPath, string example)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrWhiteSpace(spec.Config))
        {
            throw new RenderException($"is required: the device plugin reads its resource list from it (for example {example})", fieldPath + ".config");
        }

        try
        {
            _ = StrictJson.Parse(spec.Config);
        }
        catch (JsonException ex)
        {
            throw new RenderException($"is not valid JSON: {StrictJson.Describe(ex)}", fieldPath + ".config");
        }

        return spec.Config;
    }
}
