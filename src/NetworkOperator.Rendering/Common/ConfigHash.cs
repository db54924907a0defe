using System.Security.Cryptography;
using System.Text;

namespace NetworkOperator.Rendering.Common;

/// <summary>
/// Value of the <c>nvidia.network-operator.config-hash</c> pod-template annotation: base64(SHA-256(config)). A config
/// change alters the pod template, so the DaemonSet rolls its pods onto the new config.
/// </summary>
public static class ConfigHash
{
    public static string Compute(string config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(config)));
    }
}
