using System.Text;

namespace NetworkOperator.Api.Serialization;

/// <summary>
/// Field paths as users read them (<c>spec.ofedDriver.version</c>, <c>spec.tolerations[0].key</c>,
/// <c>spec.nodeSelector["kubernetes.io/hostname"]</c>), built the same way whether they come from YAML positions,
/// System.Text.Json exceptions or validation rules.
/// </summary>
public static class FieldPath
{
    public static string Child(string parent, string name)
    {
        if (IsSimpleName(name))
        {
            return parent.Length == 0 ? name : parent + "." + name;
        }

        return parent + "[\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"]";
    }

    public static string Index(string parent, int index) => parent + "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";

    /// <summary>Converts a System.Text.Json path (<c>$.spec['a.b'][0]</c>) to the user form.</summary>
    public static string FromJsonPath(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return string.Empty;
        }

        var result = string.Empty;
        var i = jsonPath.StartsWith('$') ? 1 : 0;
        while (i < jsonPath.Length)
        {
            if (jsonPath[i] == '.')
            {
                var end = i + 1;
                while (end < jsonPath.Length && jsonPath[end] != '.' && jsonPath[end] != '[')
                {
                    end++;
                }

                result = Child(result, jsonPath[(i + 1)..end]);
                i = end;
            }
            else if (jsonPath[i] == '[' && i + 1 < jsonPath.Length && jsonPath[i + 1] == '\'')
            {
                var name = new StringBuilder();
                var j = i + 2;
                while (j < jsonPath.Length && !(jsonPath[j] == '\'' && j + 1 < jsonPath.Length && jsonPath[j + 1] == ']'))
                {
                    name.Append(jsonPath[j]);
                    j++;
                }

                result = Child(result, name.ToString());
                i = j + 2;
            }
            else if (jsonPath[i] == '[')
            {
                var end = jsonPath.IndexOf(']', i);
                if (end < 0)
                {
                    break;
                }

                result += jsonPath[i..(end + 1)];
                i = end + 1;
            }
            else
            {
                i++;
            }
        }

        return result;
    }

    private static bool IsSimpleName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$');
}
