namespace NetworkOperator.Simulator.Tests.Support;

/// <summary>Polls a condition with a generous deadline (the machine is shared and loaded); never a fixed sleep.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeoutSeconds}s waiting for: {what}");
            }

            await Task.Delay(20);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeoutSeconds}s waiting for: {what}");
            }

            await Task.Delay(50);
        }
    }
}
