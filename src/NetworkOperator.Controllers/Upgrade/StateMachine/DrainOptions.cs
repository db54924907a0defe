namespace NetworkOperator.Controllers.Upgrade;

/// <summary>How a node is drained (kubectl drain's options as the upgrade flow sets them).</summary>
public sealed record DrainOptions
{
    /// <summary>Also evict pods no controller manages (they are not recreated elsewhere).</summary>
    public bool Force { get; init; }

    /// <summary>Evict pods with emptyDir volumes (their data is lost).</summary>
    public bool DeleteEmptyDir { get; init; }

    /// <summary>Only pods matching this selector are evicted; always ends with the drain-skip clause.</summary>
    public string PodSelector { get; init; } = Api.Contract.Labels.DrainSkipSelector;

    /// <summary>Zero = no limit.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Daemon pods are always ignored (they would be recreated on the node at once).</summary>
    public bool IgnoreDaemonSets { get; init; } = true;
}
