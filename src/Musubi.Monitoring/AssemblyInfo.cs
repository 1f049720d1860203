using System.Runtime.CompilerServices;

// The recording and export paths stackalloc scratch buffers that are always written before they are read.
[module: SkipLocalsInit]
