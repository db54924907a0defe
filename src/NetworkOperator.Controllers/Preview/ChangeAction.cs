namespace NetworkOperator.Controllers.Preview;

/// <summary>What applying the previewed resources would do to one object, judged by the operator's own apply rules.</summary>
public enum ChangeAction
{
    /// <summary>Missing from the cluster: the operator would create it.</summary>
    Create,

    /// <summary>Present but with another revision annotation, or not controlled by the policy yet: replaced.</summary>
    Update,

    /// <summary>Present, controlled by the policy, same revision: left alone.</summary>
    Unchanged,

    /// <summary>Controlled by the policy, labelled with one of its states, and no longer rendered: deleted.</summary>
    Delete,

    /// <summary>No longer rendered but deliberately kept (CustomResourceDefinitions hold user data).</summary>
    Kept,

    /// <summary>Another live policy or network controls an object of that name; the first owner keeps it, nothing is written.</summary>
    OwnedElsewhere,

    /// <summary>The cluster does not serve the object's kind; the operator would report the state not ready.</summary>
    NotServed,
}
