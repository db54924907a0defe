namespace NetworkOperator.Controllers.Tests.Repair;

/// <summary>
/// A kind the operator writes, and a field of it the operator sets (a JSON pointer) that a test tampers with to see
/// the operator put it back.
/// </summary>
public sealed record OwnedKind(string Kind, string Group, string Version, string Plural, bool Namespaced, string Field)
{
    public override string ToString() => Kind;
}
