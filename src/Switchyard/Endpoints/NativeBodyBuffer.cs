using System.Runtime.InteropServices;

namespace Switchyard.Endpoints;

/// <summary>
/// Native memory that gathers a request body of unknown length. Its pages are touched only as bytes arrive and go
/// back to the operating system when it is disposed, so a body that ends in 413 leaves nothing behind: no pooled
/// array, and no garbage waiting for a full collection.
/// </summary>
internal sealed class NativeBodyBuffer : SafeHandle
{
    /// <summary>
    /// C allocators serve blocks this large straight from the operating system (glibc's largest mmap threshold is
    /// 32 MiB) and unmap them when freed; a smaller block could stay in the allocator's heap after it is freed.
    /// </summary>
    private const long MinimumCapacity = 32L * 1024 * 1024 + 1;

    private readonly long _capacity;

    private NativeBodyBuffer(long capacity)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        _capacity = capacity;
        SetHandle(Marshal.AllocHGlobal((nint)Math.Max(capacity, MinimumCapacity)));
    }

    /// <summary>Bytes appended so far.</summary>
    public int Length { get; private set; }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Reserves room for <paramref name="capacity"/> bytes (address space; pages are committed as they are written).</summary>
    public static NativeBodyBuffer Allocate(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, Array.MaxLength);
        return new NativeBodyBuffer(capacity);
    }

    /// <summary>Appends the first <paramref name="count"/> bytes of <paramref name="source"/>.</summary>
    public void Append(byte[] source, int count)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Length + (long)count > _capacity)
        {
            throw new InvalidOperationException("The body buffer is full.");
        }

        Marshal.Copy(source, 0, handle + Length, count);
        Length += count;
    }

    /// <summary>Copies the gathered bytes to the start of <paramref name="destination"/>.</summary>
    public void CopyTo(byte[] destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        Marshal.Copy(handle, destination, 0, Length);
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        Marshal.FreeHGlobal(handle);
        return true;
    }
}
