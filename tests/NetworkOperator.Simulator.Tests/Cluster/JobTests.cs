using NetworkOperator.Tests.Shared;
using k8s;
using k8s.Models;
using NetworkOperator.Simulator.Cluster;
using KubectlRunner = NetworkOperator.Simulator.Tests.Support.Kubectl;

namespace NetworkOperator.Simulator.Tests.Cluster;

/// <summary>The simulated Job controller and run-to-completion pods, as kubectl and helm hooks see them.</summary>
[Trait("Category", "Slow")]
public sealed class JobTests
{
    private static V1Job Job(string name, string image, int? completions = 1, int parallelism = 1, int backoffLimit = 6, int? ttl = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1JobSpec
        {
            Completions = completions,
            Parallelism = parallelism,
            BackoffLimit = backoffLimit,
            TtlSecondsAfterFinished = ttl,
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = image }] },
            },
        },
    };

    [Fact]
    public async Task A_job_runs_its_completions_and_reports_them_as_the_real_controller_does()
    {
        var ran = new System.Collections.Concurrent.ConcurrentBag<string>();
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions
        {
            NodeCount = 2,
            ContainerCommand = (pod, container, _) =>
            {
                ran.Add($"{pod.Metadata.Name}/{container.Name}");
                return Task.FromResult(0);
            },
        });
        using var client = cluster.CreateClient();
        using var kubectl = new KubectlRunner(cluster.Server);
        await client.BatchV1.CreateNamespacedJobAsync(Job("migrate", "example/migrate:1", completions: 3, parallelism: 2), "default");

        (await kubectl.RunAsync("wait", "--for=condition=complete", "job/migrate", "--timeout=90s")).EnsureSuccess();
        var job = await client.BatchV1.ReadNamespacedJobAsync("migrate", "default");
        Assert.Equal(3, job.Status.Succeeded);
        Assert.Null(job.Status.Active);
        Assert.Null(job.Status.Failed);
        Assert.NotNull(job.Status.StartTime);
        Assert.NotNull(job.Status.CompletionTime);
        Assert.Equal([("SuccessCriteriaMet", "True", "CompletionsReached"), ("Complete", "True", "CompletionsReached")],
            job.Status.Conditions.Select(c => (c.Type, c.Status, c.Reason)));
        Assert.Equal("batch.kubernetes.io/controller-uid=" + job.Metadata.Uid,
            string.Join(",", job.Spec.Selector.MatchLabels.Select(kv => $"{kv.Key}={kv.Value}")));

        var pods = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "batch.kubernetes.io/job-name=migrate")).Items;
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p =>
        {
            Assert.Equal("Succeeded", p.Status.Phase);
            Assert.Equal(0, p.Status.ContainerStatuses.Single().State.Terminated.ExitCode);
            Assert.Equal("Completed", p.Status.ContainerStatuses.Single().State.Terminated.Reason);
        });
        Assert.Equal(3, ran.Count);

        var get = (await kubectl.RunAsync("get", "pods", "-l", "job-name=migrate")).EnsureSuccess();
        Assert.Equal(3, get.Stdout.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^migrate-\w{5}\s+0/1\s+Completed\s+0")));
    }

    [Fact]
    public async Task A_job_whose_pods_fail_stops_at_its_backoff_limit_and_a_finished_job_expires_after_its_ttl()
    {
        await using var cluster = await SimulatedCluster.StartAsync(new SimulatedClusterOptions
        {
            NodeCount = 1,
            ContainerCommand = (_, container, _) => Task.FromResult(container.Image == "example/broken:1" ? 2 : 0),
        });
        using var client = cluster.CreateClient();
        using var kubectl = new KubectlRunner(cluster.Server);
        await client.BatchV1.CreateNamespacedJobAsync(Job("broken", "example/broken:1", backoffLimit: 2), "default");

        (await kubectl.RunAsync("wait", "--for=condition=failed", "job/broken", "--timeout=90s")).EnsureSuccess();
        var job = await client.BatchV1.ReadNamespacedJobAsync("broken", "default");
        Assert.Equal(3, job.Status.Failed);
        Assert.Null(job.Status.Succeeded);
        Assert.Null(job.Status.CompletionTime);
        Assert.Equal([("FailureTarget", "BackoffLimitExceeded"), ("Failed", "BackoffLimitExceeded")], job.Status.Conditions.Select(c => (c.Type, c.Reason)));
        Assert.Equal("Job has reached the specified backoff limit", job.Status.Conditions.Last().Message);
        var pods = (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "job-name=broken")).Items;
        Assert.All(pods, p => Assert.Equal(("Failed", 2, "Error"),
            (p.Status.Phase, p.Status.ContainerStatuses.Single().State.Terminated.ExitCode, p.Status.ContainerStatuses.Single().State.Terminated.Reason)));

        // ttlSecondsAfterFinished: 0 deletes the finished Job and, through its owner references, its pods.
        await client.BatchV1.CreateNamespacedJobAsync(Job("once", "example/once:1", ttl: 0), "default");
        await Eventually.TrueAsync(async () => (await client.BatchV1.ListNamespacedJobAsync("default", fieldSelector: "metadata.name=once")).Items.Count == 0
            && (await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "job-name=once")).Items.Count == 0,
            "the finished job and its pods deleted after its TTL", Eventually.LongTimeout);
    }
}
