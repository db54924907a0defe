namespace NetworkOperator.Simulator.Defaulting;

/// <summary>Hands out cluster IPs from 10.96.0.0/12 and node ports from 30000-32767, as the real allocators do.</summary>
internal sealed class ServiceIpAllocator
{
    private int _nextIp = 10;
    private int _nextPort = 30000;

    public string Next()
    {
        var n = Interlocked.Increment(ref _nextIp);
        return $"10.96.{(n >> 8) & 0xff}.{n & 0xff}";
    }

    public int NextNodePort()
    {
        var n = Interlocked.Increment(ref _nextPort);
        return 30000 + ((n - 30000) % 2768);
    }
}
