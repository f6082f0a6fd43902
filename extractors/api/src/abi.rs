//! The C ABI, version 1: the only things that cross between the harness and a
//! plugin library are plain integers, pointers, lengths and an opaque handle.
//! Rich data travels as UTF-8 JSON buffers with an explicit length.
//!
//! Layout rules (these are what make separately compiled libraries safe):
//! - The descriptor starts with [`DescriptorHeader`]; the host reads and checks
//!   the header (magic, major, minor, size) before touching anything else.
//! - New optional fields may only be appended to [`PluginDescriptor`], with a
//!   minor version bump; `size` tells the host how much of the tail exists.
//! - Output buffers are allocated by the plugin and freed only through the
//!   plugin's own `free_buffer` (each library may have its own allocator).
//! - The host never unloads a library.

use std::ffi::c_void;

/// "IEHARNSS" in little-endian: the first eight bytes of every descriptor.
pub const MAGIC: u64 = u64::from_le_bytes(*b"IEHARNSS");
/// Breaking changes bump the major version, and with it the entry symbol name.
pub const ABI_MAJOR: u32 = 1;
/// Appending optional tail fields bumps the minor version.
pub const ABI_MINOR: u32 = 0;
/// The exported entry point; its name carries the ABI major version.
pub const ENTRY_SYMBOL: &str = "ie_harness_plugin_v1";

/// Return codes of `create` and `extract`.
pub type Status = i32;
/// Success: the output buffer holds the result JSON.
pub const STATUS_OK: Status = 0;
/// The plugin reported an error: the output buffer holds `{"error": "..."}`.
pub const STATUS_ERROR: Status = 1;
/// The plugin panicked; the panic was caught at the boundary and the output
/// buffer holds `{"error": "<panic message>"}`.
pub const STATUS_PANIC: Status = 2;

/// Descriptor flag: `extract` may be called concurrently on one instance.
pub const FLAG_THREAD_SAFE: u64 = 1;

/// A borrowed UTF-8 string: valid for as long as its owner says.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct StrRef {
    pub ptr: *const u8,
    pub len: usize,
}

impl StrRef {
    pub const fn new(s: &'static str) -> Self {
        StrRef {
            ptr: s.as_ptr(),
            len: s.len(),
        }
    }

    pub fn from_slice(bytes: &[u8]) -> Self {
        StrRef {
            ptr: bytes.as_ptr(),
            len: bytes.len(),
        }
    }

    /// # Safety
    /// `ptr` must point to `len` readable bytes that outlive `'a`.
    pub unsafe fn as_bytes<'a>(self) -> &'a [u8] {
        if self.len == 0 {
            &[]
        } else {
            std::slice::from_raw_parts(self.ptr, self.len)
        }
    }
}

/// A buffer owned by the plugin. The host reads `len` bytes and hands the
/// buffer back, unchanged, to the plugin's `free_buffer`.
#[repr(C)]
#[derive(Debug)]
pub struct OutBuf {
    pub ptr: *mut u8,
    pub len: usize,
    pub cap: usize,
}

impl OutBuf {
    pub const fn empty() -> Self {
        OutBuf {
            ptr: std::ptr::null_mut(),
            len: 0,
            cap: 0,
        }
    }
}

/// The fixed prefix of every descriptor, whatever its version.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct DescriptorHeader {
    pub magic: u64,
    pub abi_major: u32,
    pub abi_minor: u32,
    /// `size_of::<PluginDescriptor>()` as the plugin was compiled.
    pub size: u64,
}

/// Create an instance from a JSON config (`{}` when none is given).
/// On success writes the handle to `out_instance`; on failure writes
/// `{"error": ...}` to `out_error`.
pub type CreateFn =
    unsafe extern "C" fn(config: StrRef, out_instance: *mut *mut c_void, out_error: *mut OutBuf) -> Status;
/// Run on one request `{"id", "text"}`; writes `{"mentions": [...]}` or
/// `{"error": ...}` to `out`.
pub type ExtractFn = unsafe extern "C" fn(instance: *mut c_void, request: StrRef, out: *mut OutBuf) -> Status;
/// Free a buffer the plugin returned.
pub type FreeBufferFn = unsafe extern "C" fn(buf: OutBuf);
/// Destroy an instance.
pub type DestroyFn = unsafe extern "C" fn(instance: *mut c_void);

/// ABI v1.0 descriptor. Append-only.
#[repr(C)]
pub struct PluginDescriptor {
    pub header: DescriptorHeader,
    /// Bit set of `FLAG_*`.
    pub flags: u64,
    pub name: StrRef,
    pub version: StrRef,
    /// Comma-separated field names the extractor claims, e.g. `date,figure`.
    pub fields: StrRef,
    pub create: CreateFn,
    pub extract: ExtractFn,
    pub free_buffer: FreeBufferFn,
    pub destroy: DestroyFn,
}

// SAFETY: a descriptor is immutable static data; its pointers refer to
// 'static strings and functions.
unsafe impl Sync for PluginDescriptor {}

/// The signature of the entry symbol.
pub type EntryFn = unsafe extern "C" fn() -> *const PluginDescriptor;
