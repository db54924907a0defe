using k8s.Models;

namespace NetworkOperator.Controllers.Policies;

/// <summary>
/// Builds one condition of a status the operator writes. <c>lastTransitionTime</c> stays while the status does not
/// flip, so an unchanged world yields a status equal to the previous one and no write.
/// </summary>
public static class Conditions
{
    public static V1Condition Make(IReadOnlyList<V1Condition>? previous, string type, string status, string reason, string message,
        long? generation, DateTimeOffset now)
    {
        var old = previous?.FirstOrDefault(c => c.Type == type);
        var transition = old is not null && old.Status == status && old.LastTransitionTime != default
            ? old.LastTransitionTime.ToUniversalTime()
            : now.UtcDateTime;
        return new V1Condition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = StatusMessages.Bound(message),
            ObservedGeneration = generation,
            LastTransitionTime = TruncateToSeconds(transition),
        };
    }

    // metav1.Time serialises with second precision; a sub-second value would never compare equal after a round trip.
    private static DateTime TruncateToSeconds(DateTime value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
