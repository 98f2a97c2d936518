namespace SignalSharp.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("signal-sharp: not implemented yet");
        return 1;
    }
}
