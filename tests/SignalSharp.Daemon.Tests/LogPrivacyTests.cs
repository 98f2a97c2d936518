using System.Text.RegularExpressions;
using SignalSharp.Daemon.Tests.Support;

namespace SignalSharp.Daemon.Tests;

/// <summary>
/// The privacy rule of every <c>[LoggerMessage]</c> under src/: no parameter that by its name carries a phone number,
/// message text or key material; and the account layer logs a failure by its exception type, never by its message
/// (which may carry a number), so no <c>AccountLog</c> call is handed an exception's <c>Message</c>.
/// </summary>
public sealed partial class LogPrivacyTests
{
    [Fact]
    public void No_log_message_takes_a_number_text_or_a_key()
    {
        var violations = FindViolations(SourceFiles());

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void The_check_finds_a_number_a_body_a_key_and_an_exception_message()
    {
        var violations = FindViolations(
        [
            ("SignalSharp.Daemon/Log.cs", "[LoggerMessage(1, LogLevel.Information, \"x\")]\n    public static partial void A(ILogger logger, string number, int count);"),
            ("SignalSharp.Service/Log.cs", "[LoggerMessage(2, LogLevel.Information, \"x\")]\npublic static partial void B(ILogger logger, string body, byte[] identityKey);"),
            ("SignalSharp.Account/X.cs", "AccountLog.Failed(logger, e.GetType().Name);\nAccountLog.Failed(logger, e.Message);"),
        ]);

        Assert.Equal(["SignalSharp.Daemon/Log.cs: A takes number", "SignalSharp.Service/Log.cs: B takes body", "SignalSharp.Service/Log.cs: B takes identityKey",
            "SignalSharp.Account/X.cs: AccountLog.Failed is handed an exception message"], violations);
    }

    private static List<string> FindViolations(IEnumerable<(string Path, string Text)> files)
    {
        var violations = new List<string>();
        foreach (var (path, text) in files)
        {
            foreach (Match method in LogMethod().Matches(text))
            {
                foreach (var parameter in method.Groups[2].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    var name = parameter.Split(' ')[^1];
                    if (Forbidden().IsMatch(name))
                    {
                        violations.Add($"{path}: {method.Groups[1].Value} takes {name}");
                    }
                }
            }

            if (path.StartsWith("SignalSharp.Account", StringComparison.Ordinal))
            {
                violations.AddRange(AccountLogWithMessage().Matches(text).Select(m => $"{path}: AccountLog.{m.Groups[1].Value} is handed an exception message"));
            }
        }

        return violations;
    }

    private static List<(string Path, string Text)> SourceFiles()
    {
        var files = SourceTree.CSharpFiles("src");
        Assert.Contains(files, f => LogMethod().IsMatch(f.Text) && f.Path.StartsWith("SignalSharp.Account/", StringComparison.Ordinal));
        return files;
    }

    [GeneratedRegex(@"\[LoggerMessage[^\]]*\]\s*(?:public|internal|private)?\s*static partial void (\w+)\(ILogger \w+,?([^)]*)\)")]
    private static partial Regex LogMethod();

    // Phone numbers, message text and key material, by the names they go by.
    [GeneratedRegex(@"^(?:number|e164|phone\w*|body|text|plaintext|content|\w*[kK]ey|password|secret|pin)$", RegexOptions.IgnoreCase)]
    private static partial Regex Forbidden();

    [GeneratedRegex(@"AccountLog\.(\w+)\([^;]*\.Message\b[^;]*\);")]
    private static partial Regex AccountLogWithMessage();
}
