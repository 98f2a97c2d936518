using BenchmarkDotNet.Running;

namespace SignalSharp.Bench;

public static class Program
{
    // `dotnet run -c Release --project bench/SignalSharp.Bench -- --filter '*'` runs every benchmark;
    // load generators that are not BenchmarkDotNet classes register their own verbs here.
    public static async Task Main(string[] args)
    {
        if (args is ["sealed", .. var sealedArgs])
        {
            await Protocol.SealedSenderLoad.RunAsync(sealedArgs);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
