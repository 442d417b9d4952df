using System.Buffers;
using System.Runtime.InteropServices;

namespace Switchyard.Endpoints;

/// <summary>
/// Native memory in which a large request body is gathered and checked. Its pages are touched only as bytes arrive
/// and go back to the operating system when it is disposed, so a body that is refused (too large, not JSON) leaves
/// nothing behind: no pooled array, and no garbage that the GC would keep committed after collecting it.
/// </summary>
internal sealed unsafe class NativeBodyBuffer : MemoryManager<byte>
{
    /// <summary>
    /// C allocators serve blocks this large straight from the operating system (glibc's largest mmap threshold is
    /// 32 MiB) and unmap them when freed; a smaller block could stay in the allocator's heap after it is freed. Only
    /// the pages written are ever resident.
    /// </summary>
    private const int MinimumReservation = 32 * 1024 * 1024 + 1;

    private readonly int _capacity;
    private byte* _pointer;

    private NativeBodyBuffer(int capacity)
    {
        _capacity = capacity;
        _pointer = (byte*)NativeMemory.Alloc((nuint)Math.Max(capacity, MinimumReservation));
    }

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>Room for <paramref name="capacity"/> bytes.</summary>
    public static NativeBodyBuffer Allocate(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, Array.MaxLength);
        return new NativeBodyBuffer((int)capacity);
    }

    /// <summary>The free room after the bytes written.</summary>
    public Memory<byte> Free => Memory[Length..];

    /// <summary>The bytes written.</summary>
    public ReadOnlySpan<byte> Written => GetSpan()[..Length];

    /// <summary>Counts <paramref name="count"/> more bytes of <see cref="Free"/> as written.</summary>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _capacity - Length);
        Length += count;
    }

    /// <inheritdoc />
    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_pointer is null, this);
        return new Span<byte>(_pointer, _capacity);
    }

    /// <inheritdoc />
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ObjectDisposedException.ThrowIf(_pointer is null, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _capacity);
        return new MemoryHandle(_pointer + elementIndex);
    }

    /// <inheritdoc />
    public override void Unpin()
    {
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (_pointer is not null)
        {
            NativeMemory.Free(_pointer);
            _pointer = null;
        }
    }
}
