namespace NetworkOperator.Controllers.Policies;

/// <summary>What applying an object decides and then does: the one outcome type of the applier and of <c>diff</c>.</summary>
public enum ApplyAction
{
    /// <summary>The live object holds what should be; nothing is written.</summary>
    Unchanged,

    /// <summary>The object does not exist and is created.</summary>
    Create,

    /// <summary>The object is replaced: another revision, not controlled by the owner yet, or a field we wrote drifted.</summary>
    Update,

    /// <summary>Another live policy controls an object of the same name; the first owner keeps it and nothing is written.</summary>
    Conflict,

    /// <summary>The owner controls an object it no longer renders; it is deleted.</summary>
    Delete,
}
