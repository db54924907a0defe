using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>
/// The Job strategy's generated selector: unless <c>spec.manualSelector</c> is true, a new Job selects its pods by
/// <c>batch.kubernetes.io/controller-uid</c>, and its template carries that label, <c>batch.kubernetes.io/job-name</c>
/// and the legacy <c>controller-uid</c> / <c>job-name</c> labels.
/// </summary>
internal static class JobSelector
{
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";
    public const string JobNameLabel = "batch.kubernetes.io/job-name";

    public static void Generate(JsonObject job)
    {
        if (job["spec"] is not JsonObject spec || spec["manualSelector"].GetBool() == true)
        {
            return;
        }

        var metadata = job.Metadata();
        var uid = metadata.GetString("uid") ?? "";
        var name = metadata.GetString("name") ?? "";
        spec["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [ControllerUidLabel] = uid } };
        var template = spec["template"] as JsonObject ?? new JsonObject();
        spec["template"] = template;
        var labels = template.Metadata()["labels"] as JsonObject ?? new JsonObject();
        template.Metadata()["labels"] = labels;
        labels[ControllerUidLabel] = uid;
        labels[JobNameLabel] = name;
        labels["controller-uid"] = uid;
        labels["job-name"] = name;
    }
}
