using System.Collections.Concurrent;
using System.Text;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>
/// What simulated containers have written to stdout, served as <c>pods/log</c>. Simulated containers run no process, so
/// a container's log is empty (as a real container that printed nothing) unless something is appended: tests and tools
/// write the lines a component would have logged.
/// </summary>
public sealed class ContainerLogs
{
    private readonly ConcurrentDictionary<(string Namespace, string Pod, string Container), StringBuilder> _logs = new();

    /// <summary>Appends <paramref name="text"/> (a newline is added when missing) to a container's log.</summary>
    public void Append(string @namespace, string pod, string container, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var log = _logs.GetOrAdd((@namespace, pod, container), _ => new StringBuilder());
        lock (log)
        {
            log.Append(text);
            if (!text.EndsWith('\n'))
            {
                log.Append('\n');
            }
        }
    }

    /// <summary>The log of one container, empty when it wrote nothing.</summary>
    public string Read(string @namespace, string pod, string container)
    {
        if (!_logs.TryGetValue((@namespace, pod, container), out var log))
        {
            return string.Empty;
        }

        lock (log)
        {
            return log.ToString();
        }
    }

    /// <summary>Forgets a pod's logs (a deleted pod's containers are gone with it).</summary>
    public void Remove(string @namespace, string pod)
    {
        foreach (var key in _logs.Keys.Where(k => k.Namespace == @namespace && k.Pod == pod))
        {
            _logs.TryRemove(key, out _);
        }
    }
}
