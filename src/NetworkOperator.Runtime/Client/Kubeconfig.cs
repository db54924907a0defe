using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace NetworkOperator.Runtime.Client;

/// <summary>
/// Loads a kubeconfig file into a client configuration without KubernetesClient's <c>KubernetesYaml</c>: its static
/// set-up orders every model property by metadata token, which Native AOT does not keep, so the published operator
/// could not start. The kubeconfig models carry YamlDotNet aliases of their own, which is all a kubeconfig needs.
/// </summary>
public static class Kubeconfig
{
    private static readonly IDeserializer Reader = new DeserializerBuilder().IgnoreUnmatchedProperties().Build();

    /// <summary>
    /// Reads <paramref name="path"/>; relative certificate and key paths in it resolve against its folder, as kubectl does.
    /// </summary>
    /// <exception cref="KubeConfigException">The file is missing, is not a kubeconfig, or names an unknown context.</exception>
    public static KubernetesClientConfiguration Load(string path, string? context = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        K8SConfiguration? config;
        try
        {
            using var reader = File.OpenText(full);
            config = Reader.Deserialize<K8SConfiguration?>(reader);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"{full}: {ex.Message}");
        }
        catch (YamlException ex)
        {
            throw new KubeConfigException($"{full}: not a kubeconfig ({ex.Start}): {(ex.InnerException ?? ex).Message}");
        }

        if (config is null)
        {
            throw new KubeConfigException($"{full}: the file is empty");
        }

        config.FileName = full;
        return KubernetesClientConfiguration.BuildConfigFromConfigObject(config, context);
    }

    /// <summary>
    /// The connection controller-runtime would pick: <c>KUBECONFIG</c> (its first file), then the in-cluster service
    /// account, then <c>~/.kube/config</c>. Unlike KubernetesClient's default it never falls back to an
    /// unauthenticated <c>http://localhost:8080</c>.
    /// </summary>
    public static KubernetesClientConfiguration Default()
    {
        if (Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } fromEnv)
        {
            var first = fromEnv.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (first is not null)
            {
                return Load(first);
            }
        }

        if (KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        if (File.Exists(home))
        {
            return Load(home);
        }

        throw new KubeConfigException("no cluster connection: pass --kubeconfig, set KUBECONFIG, or run inside a cluster");
    }
}
