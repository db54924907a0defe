namespace NetworkOperator.Simulator.Tables;

internal sealed partial class TableRenderer
{
    /// <summary>Validating and mutating webhook configurations: the real server prints both alike, counting their webhooks.</summary>
    private static class WebhookColumns
    {
        public static readonly IReadOnlyList<Column> Configuration =
        [
            NameColumn,
            new("Webhooks", "integer", (o, _) => Count(o["webhooks"]),
                Description: "Webhooks indicates the number of webhooks registered in this configuration"),
            AgeColumn,
        ];
    }
}
