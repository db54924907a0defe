using System.Runtime.InteropServices;
using System.Text;

namespace NetworkOperator.Api.Serialization;

/// <summary>
/// Reads an input file the user names, or stdin for <c>-</c>, within <see cref="InputBudget.MaxBytes"/>. Only regular
/// files are opened: a directory, a FIFO or a device (<c>/dev/zero</c> would never end, a FIFO can block forever on
/// open) is refused with a one-line reason before anything is read.
/// </summary>
public static partial class InputFile
{
    public const string StandardInput = "-";

    private const int TypeMask = 0xF000;
    private const int TypeFifo = 0x1000;
    private const int TypeCharacterDevice = 0x2000;
    private const int TypeDirectory = 0x4000;
    private const int TypeBlockDevice = 0x6000;
    private const int TypeRegular = 0x8000;
    private const int TypeSocket = 0xC000;

    /// <summary>The text of <paramref name="path"/>, or an <see cref="InputFileException"/> saying in one line why not.</summary>
    /// <param name="path">A file path, or <c>-</c> for stdin.</param>
    /// <param name="budget">Limits; <see cref="InputBudget.Default"/> when null.</param>
    /// <param name="standardInput">Stdin for <c>-</c> (tests pass their own stream).</param>
    public static string ReadText(string path, InputBudget? budget = null, Stream? standardInput = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        budget ??= InputBudget.Default;
        if (path == StandardInput)
        {
            using var stdin = standardInput is null ? Console.OpenStandardInput() : null;
            return ReadBounded(standardInput ?? stdin!, budget.MaxBytes);
        }

        if (FileTypeProblem(path) is { } problem)
        {
            throw new InputFileException(problem);
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            if (stream.CanSeek && stream.Length > budget.MaxBytes)
            {
                throw new InputFileException($"larger than the {Describe(budget.MaxBytes)} limit for input files");
            }

            return ReadBounded(stream, budget.MaxBytes);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFileException("file not found", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new InputFileException(Directory.Exists(path) ? "is a directory, not a file" : "permission denied", ex);
        }
        catch (IOException ex)
        {
            throw new InputFileException(PrintableText.Escape(ex.Message), ex);
        }
    }

    private static string ReadBounded(Stream stream, long maxBytes)
    {
        // One byte past the limit tells "exactly at the limit" from "too large" without reading the rest.
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            var wanted = (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length);
            var read = stream.Read(chunk, 0, wanted);
            if (read == 0)
            {
                break;
            }

            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                throw new InputFileException($"larger than the {Describe(maxBytes)} limit for input files");
            }
        }

        buffer.Position = 0;
        using var reader = new StreamReader(buffer, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>Why <paramref name="path"/> is not a readable regular file, or null (also when the platform cannot tell).</summary>
    private static string? FileTypeProblem(string path)
    {
        int mode;
        try
        {
            var status = new byte[512];
            if (NativeStat(path, status) != 0)
            {
                return File.Exists(path) || Directory.Exists(path) ? null : "file not found";
            }

            // The runtime's own stat record starts with flags then the mode (type and permission bits).
            mode = BitConverter.ToInt32(status, sizeof(int));
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return Directory.Exists(path) ? "is a directory, not a file" : null;
        }

        return (mode & TypeMask) switch
        {
            TypeRegular => null,
            TypeDirectory => "is a directory, not a file",
            TypeFifo => "is a FIFO (named pipe), not a regular file; pipe it to stdin with -f - instead",
            TypeCharacterDevice or TypeBlockDevice => "is a device, not a regular file",
            TypeSocket => "is a socket, not a regular file",
            _ => "is not a regular file",
        };
    }

    private static string Describe(long bytes) =>
        bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes} bytes";

    // stat(2) through the runtime's own native shim (present in every .NET runtime and linked into native builds),
    // which reports the file type in a layout that does not vary by architecture. Follows symlinks, as open does.
    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int NativeStat(string path, [Out] byte[] output);
}
