namespace NetworkOperator.Controllers.Tests.Repair;

/// <summary>
/// Level-triggered repair on Kubernetes: for every kind the operator writes there, deleting one of its objects or
/// changing a field it set brings the object back through the informer's events, with the operator still running.
/// </summary>
public sealed class OwnedObjectRepairTests(KubernetesRepairFixture fixture) : IClassFixture<KubernetesRepairFixture>
{
    public static TheoryData<string> Kinds =>
    [
        nameof(OwnedObjectRepair.ServiceAccount), nameof(OwnedObjectRepair.ConfigMap), nameof(OwnedObjectRepair.DaemonSet),
        nameof(OwnedObjectRepair.Deployment), nameof(OwnedObjectRepair.Service), nameof(OwnedObjectRepair.PersistentVolumeClaim),
        nameof(OwnedObjectRepair.CustomResourceDefinition), nameof(OwnedObjectRepair.ClusterRole), nameof(OwnedObjectRepair.ClusterRoleBinding),
        nameof(OwnedObjectRepair.ValidatingWebhookConfiguration), nameof(OwnedObjectRepair.NetworkAttachmentDefinition),
        nameof(OwnedObjectRepair.Issuer), nameof(OwnedObjectRepair.Certificate),
    ];

    [Theory]
    [MemberData(nameof(Kinds))]
    public Task A_deleted_object_is_recreated(string kind) => OwnedObjectRepair.DeletedObjectComesBackAsync(fixture, Of(kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public Task A_field_changed_by_someone_else_is_put_back(string kind) => OwnedObjectRepair.TamperedFieldIsPutBackAsync(fixture, Of(kind));

    internal static OwnedKind Of(string name) =>
        (OwnedKind)typeof(OwnedObjectRepair).GetField(name)!.GetValue(null)!;
}
