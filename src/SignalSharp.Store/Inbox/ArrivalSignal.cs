namespace SignalSharp.Store.Inbox;

/// <summary>"Something was inserted": each raise completes the current task and arms a fresh one.</summary>
internal sealed class ArrivalSignal
{
    private TaskCompletionSource next = New();

    public Task Current => Volatile.Read(ref this.next).Task;

    public void Raise() => Interlocked.Exchange(ref this.next, New()).TrySetResult();

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
