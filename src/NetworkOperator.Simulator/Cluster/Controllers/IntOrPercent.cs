using System.Globalization;
using k8s.Models;

namespace NetworkOperator.Simulator.Cluster.Controllers;

/// <summary>intstr scaling as in maxUnavailable/maxSurge: an integer as is, a percentage of the total rounded up or down.</summary>
public static class IntOrPercent
{
    public static int Scaled(IntOrString? value, int total, bool roundUp, int defaultValue)
    {
        var text = value?.Value;
        if (string.IsNullOrEmpty(text))
        {
            return defaultValue;
        }

        if (text.EndsWith('%'))
        {
            if (!int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
            {
                throw new FormatException($"invalid value for IntOrString: invalid value \"{text}\"");
            }

            var scaled = percent * (long)total / 100.0;
            return (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
        }

        return int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }
}
