namespace NetworkOperator.Controllers.Upgrade;

/// <summary>How a finished drain ended; <see cref="Error"/> names what blocked it when it failed.</summary>
public sealed record DrainOutcome(bool Succeeded, string? Error = null, int EvictedPods = 0)
{
    public static DrainOutcome Success(int evicted) => new(true, null, evicted);

    public static DrainOutcome Failure(string error) => new(false, error);
}
