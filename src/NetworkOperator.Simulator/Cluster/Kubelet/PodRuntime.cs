namespace NetworkOperator.Simulator.Cluster.Kubelet;

/// <summary>What the simulated kubelet remembers about one pod between syncs.</summary>
internal sealed class PodRuntime
{
    public PodRuntime(DateTimeOffset firstSeen)
    {
        FirstSeen = firstSeen;
    }

    public DateTimeOffset FirstSeen { get; }

    public bool Running { get; set; }

    public int Restarts { get; set; }

    public DateTimeOffset? NextRestart { get; set; }

    public string? Waiting { get; set; }

    public string? PodIp { get; set; }
}
