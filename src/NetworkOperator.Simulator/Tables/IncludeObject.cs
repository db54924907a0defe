namespace NetworkOperator.Simulator.Tables;

/// <summary>What each Table row embeds (metav1.IncludeObjectPolicy); the values index the renderer's watch-line owners.</summary>
internal enum IncludeObject
{
    Metadata = 0,
    Object = 1,
    None = 2,
}
