using System.Text;

namespace NetworkOperator.Api.Validation;

/// <summary>
/// Linux network interface names as the kernel's <c>dev_valid_name</c> accepts them: 1 to 15 bytes (IFNAMSIZ minus
/// the terminating NUL), not "." or "..", and no '/', ':', whitespace or NUL.
/// </summary>
public static class InterfaceNames
{
    public const int MaxBytes = 15;

    /// <summary>Why <paramref name="name"/> cannot name a Linux interface, or null when it can.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "interface name must not be empty";
        }

        if (name is "." or "..")
        {
            return "interface name must not be \".\" or \"..\"";
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxBytes)
        {
            return $"interface name must be at most {MaxBytes} bytes (Linux IFNAMSIZ)";
        }

        foreach (var c in name)
        {
            if (c is '/' or ':' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return "interface name must not contain '/', ':', whitespace or control characters";
            }
        }

        return null;
    }
}
