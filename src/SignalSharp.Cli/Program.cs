namespace SignalSharp.Cli;

public static class Program
{
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, Console.Out, Console.Error);
}
