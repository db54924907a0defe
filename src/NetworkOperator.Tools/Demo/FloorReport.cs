using System.Globalization;

namespace NetworkOperator.Tools.Demo;

/// <summary>The operator run beside its floor, as the lines <c>demo --floor</c> promises.</summary>
internal static class FloorReport
{
    public static void Print(TextWriter output, FloorRun.Outcome floor, TimeSpan operatorTime, long operatorWrites)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(floor);
        output.WriteLine(Invariant($"floor objects: {floor.Objects}"));
        output.WriteLine(Invariant($"floor time: {floor.Time.TotalSeconds:F1} s"));
        output.WriteLine(Invariant($"operator time: {operatorTime.TotalSeconds:F1} s"));
        output.WriteLine(Invariant($"time ratio: {Ratio(operatorTime.TotalSeconds, floor.Time.TotalSeconds)}"));
        output.WriteLine(Invariant($"floor writes: {floor.Writes}"));
        output.WriteLine(Invariant($"operator writes: {operatorWrites}"));
        output.WriteLine(Invariant($"write ratio: {Ratio(operatorWrites, floor.Writes)}"));
    }

    private static string Ratio(double value, double floor) =>
        floor <= 0 ? "n/a" : (value / floor).ToString("F2", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
