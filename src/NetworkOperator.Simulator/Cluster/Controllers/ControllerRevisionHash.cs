using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>
/// The <c>controller-revision-hash</c> of a pod template: FNV-1a (32 bit) over the template, salted with the collision
/// count, printed in decimal and mapped through the Kubernetes "safe" alphabet as the real controllers do, so values
/// look like real ones (e.g. <c>6d5b8c7f9</c>). The template is hashed as its canonical JSON rather than Go's object
/// dump, so the exact strings differ from a real cluster's while keeping the properties that matter: stable, and
/// changing whenever the template changes.
/// </summary>
public static class ControllerRevisionHash
{
    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(V1PodTemplateSpec template, int? collisionCount)
    {
        var bytes = Encoding.UTF8.GetBytes(KubernetesJson.Serialize(template));
        var hash = Fnv1a(2166136261u, bytes);
        if (collisionCount is { } count)
        {
            Span<byte> salt = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(salt, (uint)count);
            hash = Fnv1a(hash, salt);
        }

        return SafeEncode(hash.ToString(CultureInfo.InvariantCulture));
    }

    public static string SafeEncode(string value)
    {
        var chars = new char[value.Length];
        for (var i = 0; i < value.Length; i++)
        {
            chars[i] = SafeAlphabet[value[i] % SafeAlphabet.Length];
        }

        return new string(chars);
    }

    private static uint Fnv1a(uint hash, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            hash ^= b;
            hash *= 16777619u;
        }

        return hash;
    }
}
