using System.Text.Json.Serialization;
using k8s;

namespace NetworkOperator.Runtime.Client;

/// <summary>
/// Sets up KubernetesClient's serializer for the native (Native AOT) binary, the same way in every build: its own
/// generated metadata for all models leaves the resolver chain (models go through reflection), and the given contexts
/// go first, so the generic converters over value types that reflection cannot create in native code
/// (<c>Dictionary&lt;string, JsonElement&gt;</c>, <c>int?</c>, watch event types) are compiled ahead of time.
/// </summary>
public static class KubernetesJsonContexts
{
    private static int _registered;

    /// <summary>
    /// Adds <paramref name="contexts"/> to KubernetesClient's serializer options. Call once, first thing in <c>Main</c>:
    /// the options freeze on their first use, after which this throws.
    /// </summary>
    public static void Register(params JsonSerializerContext[] contexts)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        KubernetesJson.AddJsonOptions(options =>
        {
            // KubernetesClient's own generated metadata covers all ~1,200 models; compiled ahead of time it was about
            // half of the native binary's resident type data. Reflection serves the few kinds the operator uses, so
            // the native build strips that context (TrimmerSubstitutions.xml) and every build leaves it out, so tests
            // exercise the same serialization path as the binary.
            for (var i = options.TypeInfoResolverChain.Count - 1; i >= 0; i--)
            {
                if (options.TypeInfoResolverChain[i] is SourceGenerationContext)
                {
                    options.TypeInfoResolverChain.RemoveAt(i);
                }
            }

            foreach (var context in contexts.Reverse())
            {
                options.TypeInfoResolverChain.Insert(0, context);
            }
        });
    }
}
