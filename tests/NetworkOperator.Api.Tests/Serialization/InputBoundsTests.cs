using System.Diagnostics;
using System.Text;
using NetworkOperator.Api.Serialization;

namespace NetworkOperator.Api.Tests.Serialization;

/// <summary>Hostile or odd inputs are refused with one line each; budgets count the whole file, not one document.</summary>
public sealed class InputBoundsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("input-bounds-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A document whose aliases expand to about 100,000 values from ~400 bytes.</summary>
    private static string SmallAliasBomb()
    {
        var yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (var level = 'b'; level <= 'e'; level++)
        {
            var previous = (char)(level - 1);
            yaml.Append(level).Append(": &").Append(level).Append(" [").AppendJoin(", ", Enumerable.Repeat("*" + previous, 10)).Append("]\n");
        }

        return yaml.ToString();
    }

    [Fact]
    public void Alias_expansion_is_budgeted_across_all_documents_of_a_file()
    {
        var one = SmallAliasBomb();
        Assert.Single(YamlJson.ParseDocuments(one));

        // Each document alone is far below the budget; forty of them are not.
        var many = string.Join("---\n", Enumerable.Repeat(one, 40));
        var error = Assert.Throws<YamlSyntaxException>(() => YamlJson.ParseDocuments(many));

        Assert.Contains("the file expands to more than", error.Message, StringComparison.Ordinal);
        Assert.True(error.DocumentIndex is > 0 and < 40, $"refused in document {error.DocumentIndex}");
    }

    [Fact]
    public void A_file_of_separators_stops_at_the_document_limit()
    {
        var budget = new InputBudget { MaxDocuments = 1_000 };
        var text = string.Concat(Enumerable.Repeat("---\n", 50_000));

        var error = Assert.Throws<YamlSyntaxException>(() => YamlJson.ParseDocuments(text, budget));

        Assert.Equal("more than 1000 documents in one file", error.Message);
        Assert.Equal(1_000, error.DocumentIndex);
    }

    [Fact]
    public void A_directory_is_refused_with_one_line()
    {
        var result = new ManifestReader().ReadFile(_directory);

        var error = Assert.Single(result.Errors);
        Assert.Equal($"{_directory}: is a directory, not a file", error.ToString());
    }

    [Fact]
    public void A_device_is_refused_before_anything_is_read()
    {
        var result = new ManifestReader().ReadFile("/dev/zero");

        Assert.Equal("/dev/zero: is a device, not a regular file", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void A_fifo_is_refused_without_opening_it()
    {
        // Opening a FIFO for reading blocks until a writer appears; the reader must not even try.
        var fifo = Path.Combine(_directory, "policy.yaml");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!)
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var result = new ManifestReader().ReadFile(fifo);

        Assert.StartsWith($"{fifo}: is a FIFO (named pipe), not a regular file", Assert.Single(result.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_reported_as_such()
    {
        var path = Path.Combine(_directory, "absent.yaml");

        Assert.Equal($"{path}: file not found", Assert.Single(new ManifestReader().ReadFile(path).Errors).ToString());
    }

    [Fact]
    public void A_file_larger_than_the_budget_is_refused()
    {
        var path = Path.Combine(_directory, "big.yaml");
        File.WriteAllText(path, "# " + new string('x', 5_000) + "\n");

        var result = new ManifestReader(ReadableKind.Default, new InputBudget { MaxBytes = 4_096 }).ReadFile(path);

        Assert.Equal($"{path}: larger than the 4096 bytes limit for input files", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Stdin_is_read_for_a_dash_within_the_same_limit()
    {
        var yaml = "apiVersion: mellanox.com/v1alpha1\nkind: MacvlanNetwork\nmetadata: {name: m}\nspec: {master: ens1}\n";
        var reader = new ManifestReader { StandardInput = new MemoryStream(Encoding.UTF8.GetBytes(yaml)) };
        var read = reader.ReadFile("-");
        Assert.True(read.Succeeded);
        Assert.Equal("stdin", Assert.Single(read.Objects).File);

        var endless = new ManifestReader(ReadableKind.Default, new InputBudget { MaxBytes = 1_000 }) { StandardInput = new EndlessStream() };
        Assert.Equal("stdin: larger than the 1000 bytes limit for input files", Assert.Single(endless.ReadFile("-").Errors).ToString());
    }

    [Fact]
    public void Terminal_escapes_in_names_are_shown_escaped()
    {
        var yaml = "apiVersion: v9\nkind: \"Evil\\e[2J\"\nmetadata: {name: \"x\\e]0;title\\a\"}\n";
        var read = new ManifestReader().ReadText(yaml, "evil\u001b[31m.yaml");

        var text = Assert.Single(read.Skipped).ToString();
        Assert.DoesNotContain('\x1b', text);
        Assert.DoesNotContain('\a', text);
        Assert.Contains("evil\\e[31m.yaml", text, StringComparison.Ordinal);
        Assert.Contains("x\\e]0;title\\u0007", text, StringComparison.Ordinal);
    }

    private sealed class EndlessStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)'#', offset, count);
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
