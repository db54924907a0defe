using System.Text.Json.Nodes;
using NetworkOperator.Simulator.Serialization;

namespace NetworkOperator.Simulator.Tables;

internal sealed partial class TableRenderer
{
    /// <summary>
    /// Replica sets, stateful sets, replication controllers, controller revisions, jobs and cron jobs as the real server's printers
    /// fill them; every column is filled, kubectl hides the priority 1 ones unless -o wide.
    /// </summary>
    private static class WorkloadColumns
    {
        private const string ContainersDescription = "Names of each container in the template.";
        private const string ImagesDescription = "Images referenced by each container in the template.";
        private const string JobSelectorDescription = "A label query over pods that should match the pod count.";

        public static readonly IReadOnlyList<Column> ReplicaSet =
        [
            NameColumn,
            new("Desired", "integer", (o, _) => N(o, "spec.replicas", 1)),
            new("Current", "integer", (o, _) => N(o, "status.replicas")),
            new("Ready", "integer", (o, _) => N(o, "status.readyReplicas")),
            AgeColumn,
            new("Containers", "string", (o, _) => Containers(o, "name"), 1, Description: ContainersDescription),
            new("Images", "string", (o, _) => Containers(o, "image"), 1, Description: ImagesDescription),
            new("Selector", "string", (o, _) => Selector(o), 1),
        ];

        public static readonly IReadOnlyList<Column> StatefulSet =
        [
            NameColumn,
            new("Ready", "string", (o, _) => $"{N(o, "status.readyReplicas")}/{N(o, "spec.replicas", 1)}",
                Description: "Number of the pod with ready state"),
            AgeColumn,
            new("Containers", "string", (o, _) => Containers(o, "name"), 1, Description: ContainersDescription),
            new("Images", "string", (o, _) => Containers(o, "image"), 1, Description: ImagesDescription),
        ];

        public static readonly IReadOnlyList<Column> ReplicationController =
        [
            NameColumn,
            new("Desired", "integer", (o, _) => N(o, "spec.replicas", 1), Description: "Replicas is the number of desired replicas."),
            new("Current", "integer", (o, _) => N(o, "status.replicas"),
                Description: "Replicas is the most recently observed number of replicas."),
            new("Ready", "integer", (o, _) => N(o, "status.readyReplicas"),
                Description: "The number of ready replicas for this replication controller."),
            AgeColumn,
            new("Containers", "string", (o, _) => Containers(o, "name"), 1, Description: ContainersDescription),
            new("Images", "string", (o, _) => Containers(o, "image"), 1, Description: ImagesDescription),
            new("Selector", "string", (o, _) => LabelSelectorText.OfLabels(At(o, "spec.selector") as JsonObject), 1,
                Description: "Selector is a label query over pods that should match the Replicas count."),
        ];

        // The Scale printer's Name column carries no "name" format, unlike the other kinds'.
        public static readonly IReadOnlyList<Column> Scale =
        [
            new("Name", "string", (o, _) => o.Metadata().GetString("name"), Description: NameColumn.Description),
            new("Desired", "integer", (o, _) => N(o, "spec.replicas"), Description: "replicas is the desired number of instances for the scaled object."),
            new("Available", "integer", (o, _) => N(o, "status.replicas"),
                Description: "replicas is the actual number of observed instances of the scaled object."),
            AgeColumn,
        ];

        public static readonly IReadOnlyList<Column> ControllerRevision =
        [
            NameColumn,
            new("Controller", "string", (o, _) => Controller(o), Description: "Controller of the object"),
            new("Revision", "string", (o, _) => o["revision"].GetInt64() ?? 0,
                Description: "revision indicates the revision of the state represented by Data."),
            AgeColumn,
        ];

        public static readonly IReadOnlyList<Column> Job =
        [
            NameColumn,
            new("Status", "string", (o, _) => JobStatus(o), Description: "Status of the job."),
            new("Completions", "string", (o, _) => Completions(o), Description: "The number of pods which reached phase Succeeded."),
            new("Duration", "string", (o, r) => Duration(o, r), Description: "Time required to complete the job."),
            AgeColumn,
            new("Containers", "string", (o, _) => Containers(o, "name"), 1, Description: ContainersDescription),
            new("Images", "string", (o, _) => Containers(o, "image"), 1, Description: ImagesDescription),
            new("Selector", "string", (o, _) => LabelSelectorText.Of(At(o, "spec.selector") as JsonObject), 1,
                Description: JobSelectorDescription),
        ];

        public static readonly IReadOnlyList<Column> CronJob =
        [
            NameColumn,
            new("Schedule", "string", (o, _) => S(o, "spec.schedule") ?? "",
                Description: "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
            new("Timezone", "string", (o, _) => S(o, "spec.timeZone") ?? "<none>",
                Description: "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones."),
            // A boolean column whose cells are text: the printer writes the pointer as True, False or <unset>.
            new("Suspend", "boolean", (o, _) => At(o, "spec.suspend").GetBool() switch
            {
                true => "True",
                false => "False",
                null => "<unset>",
            }, Description: "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions."),
            new("Active", "integer", (o, _) => Count(At(o, "status.active")), Description: "A list of pointers to currently running jobs."),
            new("Last Schedule", "string", (o, r) => S(o, "status.lastScheduleTime") is { } last ? r.Since(last) : "<none>",
                Description: "Information when was the last time the job was successfully scheduled."),
            AgeColumn,
            new("Containers", "string", (o, _) => Containers(JobTemplate(o), "name"), 1, Description: ContainersDescription),
            new("Images", "string", (o, _) => Containers(JobTemplate(o), "image"), 1, Description: ImagesDescription),
            new("Selector", "string", (o, _) => LabelSelectorText.Of(At(JobTemplate(o), "spec.selector") as JsonObject), 1,
                Description: JobSelectorDescription),
        ];

        // The job template has the job's own shape (spec.template.spec.containers), so the job helpers read it too.
        private static JsonObject JobTemplate(JsonObject cronJob) => At(cronJob, "spec.jobTemplate") as JsonObject ?? [];

        /// <summary>The owner marked as controller, as "kind.group/name" in lower case ("statefulset.apps/web").</summary>
        private static string Controller(JsonObject revision)
        {
            var owner = (revision.Metadata()["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>()
                .FirstOrDefault(r => r["controller"].GetBool() == true);
            if (owner is null)
            {
                return "<none>";
            }

            // The group is the apiVersion up to its slash; a core owner ("v1") has none. The real server refuses an
            // owner apiVersion with more slashes (its version parses empty), so the printer's error for one never shows.
            var apiVersion = owner.GetString("apiVersion") ?? "";
            var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
            var group = slash < 0 || apiVersion == "/" ? "" : apiVersion[..slash];
            var kind = owner.GetString("kind") ?? "";
            var name = owner.GetString("name") ?? "";
            if (group.Length == 0 && kind.Length == 0)
            {
                return name;
            }

            var groupKind = group.Length == 0 ? kind : $"{kind}.{group}";
            return $"{groupKind.ToLowerInvariant()}/{name}";
        }

        /// <summary>The first condition of each type decides; the order of the checks is the printer's precedence.</summary>
        private static string JobStatus(JsonObject job)
        {
            if (HasCondition(job, "Complete"))
            {
                return "Complete";
            }

            if (HasCondition(job, "Failed"))
            {
                return "Failed";
            }

            if (job.Metadata()["deletionTimestamp"] is not null)
            {
                return "Terminating";
            }

            if (HasCondition(job, "Suspended"))
            {
                return "Suspended";
            }

            return HasCondition(job, "FailureTarget") ? "FailureTarget" : "Running";
        }

        private static bool HasCondition(JsonObject job, string type) =>
            Conditions(job).FirstOrDefault(c => c.GetString("type") == type)?.GetString("status") == "True";

        /// <summary>"succeeded/completions"; without completions a work queue job, "of N" when it runs N pods at once.</summary>
        private static string Completions(JsonObject job)
        {
            var succeeded = N(job, "status.succeeded");
            if (At(job, "spec.completions").GetInt64() is { } completions)
            {
                return $"{succeeded}/{completions}";
            }

            var parallelism = N(job, "spec.parallelism");
            return parallelism > 1 ? $"{succeeded}/1 of {parallelism}" : $"{succeeded}/1";
        }

        /// <summary>Empty until the job starts, then the time it has run, frozen at its completion time.</summary>
        private static string Duration(JsonObject job, TableRenderer renderer)
        {
            if (S(job, "status.startTime") is not { } startText)
            {
                return "";
            }

            if (S(job, "status.completionTime") is not { } completedText)
            {
                return renderer.Since(startText);
            }

            return Timestamp.Parse(startText) is { } start && Timestamp.Parse(completedText) is { } completed
                ? HumanDuration.Format(completed - start)
                : "<unknown>";
        }
    }
}
