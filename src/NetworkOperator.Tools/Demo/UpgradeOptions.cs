using NetworkOperator.Cli;

namespace NetworkOperator.Tools.Demo;

/// <summary>The demo's upgrade flags, checked together: <c>--exit-when-done</c> is the headless form of <c>--upgrade</c>.</summary>
internal sealed record UpgradeOptions(bool Enabled, bool Headless, int MaxParallelUpgrades)
{
    public static UpgradeOptions None { get; } = new(false, false, 2);

    public static UpgradeOptions From(bool upgrade, bool exitWhenDone, bool exitWhenReady, int maxParallelUpgrades)
    {
        if (maxParallelUpgrades < 0)
        {
            throw new UserErrorException("--max-parallel-upgrades must be 0 (unlimited) or more");
        }

        if (exitWhenDone && !upgrade)
        {
            throw new UserErrorException("--exit-when-done waits for the driver upgrade: add --upgrade");
        }

        if (upgrade && exitWhenReady)
        {
            throw new UserErrorException("--exit-when-ready stops before the upgrade; use --upgrade --exit-when-done to run it headless");
        }

        return new UpgradeOptions(upgrade, exitWhenDone, maxParallelUpgrades);
    }
}
