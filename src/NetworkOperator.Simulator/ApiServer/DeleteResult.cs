using NetworkOperator.Simulator.Storage;

namespace NetworkOperator.Simulator.ApiServer;

/// <summary>
/// What a DELETE did: removed at once (<see cref="Deleted"/>), or only marked with deletionTimestamp because finalizers
/// or graceful deletion hold it (the real server then answers 202 with the object).
/// </summary>
public sealed record DeleteResult(StoredObject Object, bool Deleted);
