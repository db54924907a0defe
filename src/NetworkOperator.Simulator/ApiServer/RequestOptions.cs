namespace NetworkOperator.Simulator.ApiServer;

/// <summary>List parameters, as in the query string of a list call.</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    public int Limit { get; init; }

    public string? Continue { get; init; }
}

/// <summary>Watch parameters, as in the query string of a watch call.</summary>
public sealed record WatchOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Null or "0": current objects as ADDED first; a number: replay changes after it.</summary>
    public string? ResourceVersion { get; init; }

    public bool AllowBookmarks { get; init; }

    public bool SendInitialEvents { get; init; }

    public TimeSpan? Timeout { get; init; }
}

/// <summary>Options shared by create, update and patch.</summary>
public sealed record WriteOptions
{
    public static WriteOptions Default { get; } = new();

    public bool DryRun { get; init; }

    public string? FieldManager { get; init; }

    /// <summary>Server-side apply: take ownership of conflicting fields.</summary>
    public bool Force { get; init; }

    /// <summary>Strict rejects unknown fields (422), Warn and Ignore accept them (and prune them for custom resources).</summary>
    public string? FieldValidation { get; init; }

    /// <summary>Where admission puts warnings for the client (HTTP: <c>Warning</c> headers); null discards them.</summary>
    public ICollection<string>? Warnings { get; init; }

    /// <summary>The authenticated caller of an HTTP request; null for in-process callers, which act as the control plane.</summary>
    public NetworkOperator.Simulator.Auth.UserInfo? User { get; init; }
}

/// <summary>DELETE options (query string or DeleteOptions body).</summary>
public sealed record DeleteOptions
{
    public static DeleteOptions Default { get; } = new();

    /// <summary>Background (default), Foreground or Orphan.</summary>
    public string? PropagationPolicy { get; init; }

    public long? GracePeriodSeconds { get; init; }

    public string? PreconditionUid { get; init; }

    public string? PreconditionResourceVersion { get; init; }

    public bool DryRun { get; init; }
}

public enum PatchType
{
    Merge,
    Json,
    StrategicMerge,
    Apply,
}
