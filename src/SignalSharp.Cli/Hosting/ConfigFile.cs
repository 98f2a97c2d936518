using System.CommandLine;
using System.Text.Json;

namespace SignalSharp.Cli.Hosting;

/// <summary>The settings file cannot be read or names something the command line does not have.</summary>
internal sealed class ConfigFileException(string message) : Exception(message);

/// <summary>
/// `--config-file FILE`: a JSON object whose keys are long option names without the dashes. Top-level keys are
/// global options or options of whichever command runs (`"log-format": "json"`, `"tcp": "127.0.0.1:7583"`); a key
/// named after a command holds options for that command alone (`"daemon": { "socket": "/run/signal-sharp/socket" }`).
/// An option given on the command line wins over the file. A key that no command knows is an error, so a typo does
/// not silently fall back to a default.
/// </summary>
internal static class ConfigFile
{
    /// <summary>The command line with the file's settings added for every option the command line left out.</summary>
    public static string[] Merge(string[] args, ParseResult parsed, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new ConfigFileException($"--config-file {path}: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigFileException($"--config-file {path}: expected a JSON object of option names and values");
            }

            var root = parsed.RootCommandResult.Command;
            var running = parsed.CommandResult.Command;
            var added = new List<string>();
            foreach (var setting in document.RootElement.EnumerateObject())
            {
                if (setting.Name == "config-file")
                {
                    throw new ConfigFileException($"--config-file {path}: a settings file cannot name another one");
                }

                if (FindCommand(root, setting.Name) is { } command)
                {
                    if (setting.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw new ConfigFileException($"--config-file {path}: \"{setting.Name}\" names a command; its value must be an object of that command's options");
                    }

                    foreach (var inner in setting.Value.EnumerateObject())
                    {
                        var option = FindOption(command, root, inner.Name)
                            ?? throw new ConfigFileException($"--config-file {path}: the {command.Name} command has no option --{inner.Name}");
                        if (ReferenceEquals(command, running))
                        {
                            AddUnlessGiven(added, parsed, option, inner, path);
                        }
                    }

                    continue;
                }

                if (FindOption(running, root, setting.Name) is { } forRunning)
                {
                    AddUnlessGiven(added, parsed, forRunning, setting, path);
                }
                else if (!AnyCommandHas(root, setting.Name))
                {
                    throw new ConfigFileException($"--config-file {path}: no command has an option --{setting.Name}");
                }
            }

            return [.. args, .. added];
        }
    }

    private static void AddUnlessGiven(List<string> added, ParseResult parsed, Option option, JsonProperty setting, string path)
    {
        if (parsed.GetResult(option) is { Implicit: false })
        {
            return;
        }

        var name = "--" + setting.Name;
        var isFlag = option.ValueType == typeof(bool);
        if (isFlag && setting.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
        {
            throw new ConfigFileException($"--config-file {path}: --{setting.Name} is a switch: true or false");
        }

        switch (setting.Value.ValueKind)
        {
            case JsonValueKind.True:
                added.Add(name);
                break;
            case JsonValueKind.False:
            case JsonValueKind.Null:
                break;
            case JsonValueKind.String:
                added.Add(name);
                added.Add(setting.Value.GetString()!);
                break;
            case JsonValueKind.Number:
                added.Add(name);
                added.Add(setting.Value.GetRawText());
                break;
            case JsonValueKind.Array:
                foreach (var item in setting.Value.EnumerateArray())
                {
                    added.Add(name);
                    added.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText());
                }

                break;
            default:
                throw new ConfigFileException($"--config-file {path}: --{setting.Name} must be a string, a number or an array of them");
        }
    }

    private static Command? FindCommand(Command root, string name) =>
        root.Subcommands.FirstOrDefault(command => command.Name == name || command.Aliases.Contains(name));

    /// <summary>The command's own option of that long name, or a global one (recursive on the root).</summary>
    private static Option? FindOption(Command command, Command root, string name)
    {
        var spelled = "--" + name;
        bool Named(Option option) => option.Name == spelled || option.Aliases.Contains(spelled);
        return command.Options.FirstOrDefault(Named) ?? root.Options.FirstOrDefault(option => option.Recursive && Named(option));
    }

    private static bool AnyCommandHas(Command root, string name) =>
        FindOption(root, root, name) is not null || root.Subcommands.Any(command => FindOption(command, root, name) is not null);
}
