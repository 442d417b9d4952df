using System.Buffers;

namespace Switchyard.Tokenization;

/// <summary>
/// Scratch arrays for the tokenizer: small ones come from and go back to the shared pool; long ones (a client's
/// megabyte-long run of letters is one pre-token piece) are allocated and left to the GC, because the pool would
/// otherwise hold tens of megabytes per core for the life of the process after one such request.
/// </summary>
internal static class ScratchArray
{
    /// <summary>The longest array the pool lends and takes back (a power of two, so a pooled rent never exceeds it).</summary>
    public const int MaxPooledLength = 1 << 18;

    public static T[] Rent<T>(int minimumLength) =>
        minimumLength <= MaxPooledLength ? ArrayPool<T>.Shared.Rent(minimumLength) : GC.AllocateUninitializedArray<T>(minimumLength);

    public static void Return<T>(T[] array)
    {
        if (array.Length <= MaxPooledLength)
        {
            ArrayPool<T>.Shared.Return(array);
        }
    }
}
