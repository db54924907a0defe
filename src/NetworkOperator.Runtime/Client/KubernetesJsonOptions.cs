using System.Text.Json;
using k8s;

namespace NetworkOperator.Runtime.Client;

/// <summary>
/// KubernetesClient's serializer options, as <c>KubernetesJson</c> uses them (its converters for quantities, dates and
/// int-or-string, and the resolvers <see cref="KubernetesJsonContexts"/> registered), for decoding from bytes: the
/// library's own entry points take strings, streams or elements only.
/// </summary>
internal static class KubernetesJsonOptions
{
    private static readonly Lazy<JsonSerializerOptions> Options = new(() =>
    {
        JsonSerializerOptions? captured = null;

        // Hands over the live options object; nothing is changed, so this is safe after the options froze.
        KubernetesJson.AddJsonOptions(options => captured = options);
        return captured ?? throw new InvalidOperationException("KubernetesJson did not hand over its serializer options.");
    });

    public static JsonSerializerOptions Value => Options.Value;
}
