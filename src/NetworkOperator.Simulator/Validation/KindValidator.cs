using System.Text.Json.Nodes;

namespace NetworkOperator.Simulator.Validation;

/// <summary>
/// The validation of one built-in kind, as its registry strategy runs it on the real server: on create and update
/// the whole object, on update also the fields that may not change.
/// </summary>
internal abstract class KindValidator
{
    public abstract string Group { get; }

    public abstract string Kind { get; }

    public virtual NameRule NameRule => NameRule.Dns1123Subdomain;

    /// <summary>Whether metadata is checked (the legacy Event validation skips it).</summary>
    public virtual bool ValidatesMetadata => true;

    public abstract void Validate(FieldErrors errors, JsonObject obj);

    public virtual void ValidateUpdate(FieldErrors errors, JsonObject obj, JsonObject old)
    {
    }
}
