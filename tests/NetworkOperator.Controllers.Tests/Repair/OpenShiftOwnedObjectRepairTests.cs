namespace NetworkOperator.Controllers.Tests.Repair;

/// <summary>The kinds the operator writes only on OpenShift (SecurityContextConstraints Roles and RoleBindings) come back too.</summary>
public sealed class OpenShiftOwnedObjectRepairTests(OpenShiftRepairFixture fixture) : IClassFixture<OpenShiftRepairFixture>
{
    public static TheoryData<string> Kinds => [nameof(OwnedObjectRepair.Role), nameof(OwnedObjectRepair.RoleBinding)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public Task A_deleted_object_is_recreated(string kind) =>
        OwnedObjectRepair.DeletedObjectComesBackAsync(fixture, OwnedObjectRepairTests.Of(kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public Task A_field_changed_by_someone_else_is_put_back(string kind) =>
        OwnedObjectRepair.TamperedFieldIsPutBackAsync(fixture, OwnedObjectRepairTests.Of(kind));
}
