namespace NetworkOperator.Runtime.Apply;

public enum ApplyOutcome
{
    /// <summary>The object did not exist and was created.</summary>
    Created,

    /// <summary>The object existed with another revision and was replaced.</summary>
    Updated,

    /// <summary>The object already carried the desired revision; nothing was written.</summary>
    Unchanged,
}

/// <summary>What an apply did, with the object as the server (or cache) now has it.</summary>
public sealed record ApplyResult<T>(ApplyOutcome Outcome, T Live, string Revision);
